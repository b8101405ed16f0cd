import { describe, expect, it } from 'vitest';
import { rewriteReferences } from './references.ts';

const P = 'urn:uuid:11111111-1111-1111-1111-111111111111';
const E = 'urn:uuid:22222222-2222-2222-2222-222222222222';
const ids = new Map([
  [P, 'Patient/p1'],
  [E, 'Encounter/e1'],
]);

describe('rewriteReferences', () => {
  it('rewrites top-level, nested, array and extension references', () => {
    const obs = {
      resourceType: 'Observation',
      subject: { reference: P },
      encounter: { reference: E },
      performer: [{ reference: P }, { reference: 'Practitioner/keep' }],
      component: [{ extension: [{ url: 'x', valueReference: { reference: E } }] }],
    };
    const result = rewriteReferences(obs, ids);
    expect(obs.subject.reference).toBe('Patient/p1');
    expect(obs.encounter.reference).toBe('Encounter/e1');
    expect(obs.performer.map((p) => p.reference)).toEqual(['Patient/p1', 'Practitioner/keep']);
    expect(obs.component[0]?.extension[0]?.valueReference.reference).toBe('Encounter/e1');
    expect(result).toEqual({ conditional: [], unresolved: [] });
  });

  it('rewrites uri values equal to a fullUrl and narrative links', () => {
    const r = {
      resourceType: 'Basic',
      extension: [{ url: 'u', valueUri: P }],
      text: {
        status: 'generated',
        div: `<div xmlns="http://www.w3.org/1999/xhtml"><a href="${P}">p</a></div>`,
      },
    };
    rewriteReferences(r, ids);
    expect(r.extension[0]?.valueUri).toBe('Patient/p1');
    expect(r.text.div).toContain('href="Patient/p1"');
  });

  it('reports urn references that name no entry', () => {
    const r = { resourceType: 'Observation', subject: { reference: 'urn:uuid:nope' } };
    expect(rewriteReferences(r, ids).unresolved).toEqual(['urn:uuid:nope']);
  });

  it('collects conditional references with their holder', () => {
    const r = { resourceType: 'Observation', subject: { reference: 'Patient?identifier=http://id|123' } };
    const { conditional } = rewriteReferences(r, ids);
    expect(conditional).toHaveLength(1);
    expect(conditional[0]?.reference).toBe('Patient?identifier=http://id|123');
    expect(conditional[0]?.holder).toBe(r.subject);
  });

  it('leaves local and absolute references alone', () => {
    const r = { subject: { reference: '#contained' }, focus: [{ reference: 'http://other/Patient/1' }] };
    rewriteReferences(r, ids);
    expect(r.subject.reference).toBe('#contained');
    expect(r.focus[0]?.reference).toBe('http://other/Patient/1');
  });
});
