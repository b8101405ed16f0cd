import type { Observation, Patient, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.ts';
import { createProjector, type Projector, SUBSETTED_TAG } from './projector.ts';

// Compiling the schema takes ~1 s; the projector is immutable, so one per file is safe.
let projector: Projector;
beforeAll(() => {
  projector = createProjector();
});

const patient = {
  resourceType: 'Patient',
  id: 'p1',
  meta: { versionId: '3', tag: [{ system: 'urn:t', code: 'x' }] },
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">王小明</div>' },
  extension: [{ url: 'urn:ext', valueString: 'e' }],
  identifier: [{ system: 'urn:id', value: '1' }],
  name: [{ family: '王', given: ['小明'] }],
  gender: 'male',
  birthDate: '1980-01-01',
  _birthDate: { extension: [{ url: 'urn:time', valueString: '08:00' }] },
  maritalStatus: { text: 'married' },
  photo: [{ contentType: 'image/png', data: 'AAAA' }],
  contact: [{ relationship: [{ text: 'wife' }], name: { family: '李' }, gender: 'female' }],
  communication: [{ language: { text: 'zh' }, preferred: true }],
} as Patient;

function tags(r: Resource): string[] {
  return (r.meta?.tag ?? []).map((t) => `${t.system}|${t.code}`);
}

const subsetted = `${SUBSETTED_TAG.system}|${SUBSETTED_TAG.code}`;

describe('summarize', () => {
  it('_summary=true keeps summary and mandatory elements, drops the rest, and tags SUBSETTED', () => {
    const out = projector.summarize(patient, 'true') as Patient;
    expect(Object.keys(out).sort()).toEqual(
      ['birthDate', '_birthDate', 'gender', 'id', 'identifier', 'meta', 'name', 'resourceType'].sort(),
    );
    expect(out.meta?.versionId).toBe('3');
    expect(tags(out)).toEqual(['urn:t|x', subsetted]);
    expect(patient.meta?.tag).toHaveLength(1);
  });

  it('_summary=true keeps mandatory non-summary backbone children and drops non-summary ones', () => {
    const obs: Observation = {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'bp' },
      note: [{ text: 'n' }],
      component: [{ code: { text: 'sys' }, valueQuantity: { value: 120 }, interpretation: [{ text: 'H' }] }],
    };
    const out = projector.summarize(obs, 'true') as Observation;
    expect(out.note).toBeUndefined();
    expect(out.component).toEqual([{ code: { text: 'sys' }, valueQuantity: { value: 120 } }]);
    expect(out.status).toBe('final');
  });

  it('_summary=text keeps text, id, meta and mandatory elements only', () => {
    const out = projector.summarize(patient, 'text');
    expect(Object.keys(out).sort()).toEqual(['id', 'meta', 'resourceType', 'text']);
    const obs = projector.summarize(
      { resourceType: 'Observation', status: 'final', code: { text: 'x' }, issued: '2024-01-01T00:00:00Z' },
      'text',
    );
    expect(Object.keys(obs).sort()).toEqual(['code', 'meta', 'resourceType', 'status']);
  });

  it('_summary=data removes text only', () => {
    const out = projector.summarize(patient, 'data') as Patient;
    expect(out.text).toBeUndefined();
    expect(out.contact).toEqual(patient.contact);
    expect(tags(out)).toContain(subsetted);
  });

  it('does not tag a resource when nothing was removed, nor tag twice', () => {
    const bare: Patient = { resourceType: 'Patient', id: 'x', gender: 'other' };
    expect(projector.summarize(bare, 'data')).toEqual(bare);
    const once = projector.summarize(patient, 'text');
    const twice = projector.summarize({ ...once, gender: 'male' } as Patient, 'text');
    expect(tags(twice).filter((t) => t === subsetted)).toHaveLength(1);
  });

  it('rejects an unknown resource type', () => {
    expect(() => projector.summarize({ resourceType: 'Nope' } as unknown as Resource, 'true')).toThrow(
      AppError,
    );
  });
});

describe('selectElements', () => {
  it('keeps listed elements plus resourceType, id, meta and mandatory elements', () => {
    const out = projector.selectElements(patient, ['gender', 'birthDate']);
    expect(Object.keys(out).sort()).toEqual([
      '_birthDate',
      'birthDate',
      'gender',
      'id',
      'meta',
      'resourceType',
    ]);
    expect(tags(out)).toContain(subsetted);
  });

  it('a choice element name keeps whichever type is present', () => {
    const obs: Observation = {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      valueQuantity: { value: 1 },
      note: [{ text: 'n' }],
    };
    const out = projector.selectElements(obs, ['value']) as Observation;
    expect(out.valueQuantity).toEqual({ value: 1 });
    expect(out.status).toBe('final');
    expect(out.note).toBeUndefined();
  });

  it('ignores unknown names and widens dotted paths to their first element', () => {
    const out = projector.selectElements(patient, ['nonsense', 'name.family']) as Patient;
    expect(out.name).toEqual(patient.name);
    expect(out.gender).toBeUndefined();
  });
});
