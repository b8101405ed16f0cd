/**
 * The FHIR side of stored studies (issue #6 scope 3): each study is an ImagingStudy about a Patient
 * of the sending institution, found from FHIR by its StudyInstanceUID identifier and back.
 */
import type { ImagingStudy, Patient } from '@medplum/fhirtypes';
import { CUSTODIAN_SYSTEM, parseSearchRequest, RESIDENT_ID_SYSTEM, withCustodian } from '@yiyun/fhir';
import type { Store, StoredResource } from '@yiyun/store';
import { createTestStore } from '@yiyun/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImagingService } from '../service/imaging-service.ts';
import {
  type ImagingFixture,
  institutionCaller,
  openImagingFixture,
  PLATFORM,
  part10,
  tempImageStore,
} from '../service/test-support.ts';
import { fhirStudyRecords } from './fhir-study-records.ts';

const H1 = institutionCaller('h1');
let store: Store & AsyncDisposable;
let fx: ImagingFixture;

beforeAll(async () => {
  store = await createTestStore({ registryPollMs: 0 });
  fx = await openImagingFixture(store, { syncIntervalMs: 60_000 });
});

afterAll(async () => {
  await fx?.[Symbol.asyncDispose]();
  await store?.[Symbol.asyncDispose]();
});

async function search(type: string, query: Record<string, string>): Promise<StoredResource[]> {
  const request = parseSearchRequest(type, new URLSearchParams(query), store.registry);
  return [...(await store.repository().search(request)).matches];
}

const byUid = (uid: string) => search('ImagingStudy', { identifier: `urn:dicom:uid|urn:oid:${uid}` });

async function put(uid: string, series: number, instance: number, extra: Record<string, unknown> = {}) {
  const bytes = await part10({
    StudyInstanceUID: uid,
    SeriesInstanceUID: `${uid}.${series}`,
    SOPInstanceUID: `${uid}.${series}.${instance}`,
    SeriesNumber: series,
    InstanceNumber: instance,
    ...extra,
  });
  return fx.service.store(bytes, H1);
}

describe('ImagingStudy and Patient', () => {
  it('the first instance creates the Patient and the ImagingStudy, found from FHIR and back', async () => {
    const uid = '1.2.826.0.3.1';
    await put(uid, 1, 1, { PatientID: 'MRN-77', AccessionNumber: 'A-77', StudyDescription: '胸部CT' });
    const [study] = (await byUid(uid)) as (ImagingStudy & StoredResource)[];
    expect(study).toMatchObject({
      status: 'available',
      started: '2024-01-15T10:15:00+08:00',
      numberOfSeries: 1,
      numberOfInstances: 1,
      modality: [{ code: 'CT' }],
      description: '胸部CT',
      series: [
        {
          uid: `${uid}.1`,
          number: 1,
          instance: [{ uid: `${uid}.1.1`, sopClass: { code: 'urn:oid:1.2.840.10008.5.1.4.1.1.2' } }],
        },
      ],
    });
    expect(study?.meta.tag).toContainEqual({ system: CUSTODIAN_SYSTEM, code: 'h1' });
    expect(study?.identifier).toContainEqual(expect.objectContaining({ value: 'A-77' }));
    const patientId = study?.subject.reference?.split('/')[1] as string;
    const patient = (await store.repository().read('Patient', patientId)) as Patient;
    expect(patient.identifier?.[0]).toMatchObject({
      system: 'https://yiyun.dev/fhir/sid/mrn',
      value: 'MRN-77',
    });
    expect(patient.name?.[0]).toMatchObject({ use: 'official', text: '王芳', family: '王', given: ['芳'] });
    expect(patient.name?.[1]).toMatchObject({ text: 'Wang Fang', family: 'Wang', given: ['Fang'] });
    expect(patient).toMatchObject({ gender: 'female', birthDate: '1980-01-01' });
    expect(await search('ImagingStudy', { subject: `Patient/${patientId}` })).toHaveLength(1);
    // FHIR → DICOM: the identifier names the study in QIDO-RS.
    const records = fhirStudyRecords({ repo: store.repository(), registry: store.registry });
    expect(await records.studyUidOf(study?.id as string)).toBe(uid);
    expect(await records.studyUidOf('no-such-study')).toBeUndefined();
    const found = await fx.service.query(
      { level: 'study', match: new Map([['0020000D', uid]]), includeFields: [], fuzzyMatching: false },
      PLATFORM,
    );
    expect(found).toHaveLength(1);
  });

  it('more instances of a known series update the ImagingStudy on flush; a new series at once', async () => {
    const uid = '1.2.826.0.3.2';
    await put(uid, 1, 1, { PatientID: 'MRN-78' });
    await put(uid, 1, 2, { PatientID: 'MRN-78' });
    expect(((await byUid(uid))[0] as ImagingStudy).numberOfInstances).toBe(1);
    await put(uid, 2, 1, { PatientID: 'MRN-78', Modality: 'SR' });
    const updated = (await byUid(uid))[0] as ImagingStudy;
    expect(updated).toMatchObject({ numberOfSeries: 2, numberOfInstances: 3 });
    expect(updated.modality?.map((m) => m.code)).toEqual(['CT', 'SR']);
    await put(uid, 2, 2, { PatientID: 'MRN-78', Modality: 'SR' });
    expect(await fx.service.flush([uid])).toBe(1);
    expect(((await byUid(uid))[0] as ImagingStudy).numberOfInstances).toBe(4);
    expect(await fx.service.flush()).toBe(0);
    const patients = await search('Patient', { identifier: 'MRN-78' });
    expect(patients).toHaveLength(1);
  });

  it('an existing Patient of the institution is reused: by resident ID, by identifier, by id', async () => {
    const repo = store.repository();
    const residentId = '11010519491231002X';
    const { resource: known } = await repo.create(
      withCustodian<Patient>(
        { resourceType: 'Patient', identifier: [{ system: RESIDENT_ID_SYSTEM, value: residentId }] },
        'h1',
      ),
    );
    await repo.create(
      withCustodian<Patient>({ resourceType: 'Patient', identifier: [{ value: 'MRN-79' }] }, 'h2'),
    );
    await put('1.2.826.0.3.3', 1, 1, { PatientID: residentId.toLowerCase() });
    await put('1.2.826.0.3.4', 1, 1, { PatientID: known.id });
    const subjects = await Promise.all(
      ['1.2.826.0.3.3', '1.2.826.0.3.4'].map(
        async (uid) => ((await byUid(uid))[0] as ImagingStudy).subject.reference,
      ),
    );
    expect(subjects).toEqual([`Patient/${known.id}`, `Patient/${known.id}`]);
    // Another institution's Patient with the same MRN is not h1's patient.
    await put('1.2.826.0.3.5', 1, 1, { PatientID: 'MRN-79' });
    const mine = await search('Patient', { identifier: 'MRN-79', _tag: `${CUSTODIAN_SYSTEM}|h1` });
    expect(mine).toHaveLength(1);
    const created = (await byUid('1.2.826.0.3.5'))[0] as ImagingStudy;
    expect(created.subject.reference).toBe(`Patient/${mine[0]?.id}`);
  });

  it('an existing ImagingStudy (e.g. from the FHIR API) is updated in place, keeping its other elements', async () => {
    const uid = '1.2.826.0.3.6';
    const { resource: prior } = await store.repository().create(
      withCustodian<ImagingStudy>(
        {
          resourceType: 'ImagingStudy',
          status: 'registered',
          identifier: [{ system: 'urn:dicom:uid', value: `urn:oid:${uid}` }],
          subject: { reference: 'Patient/whoever' },
          encounter: { reference: 'Encounter/enc-1' },
        },
        'h1',
      ),
    );
    await put(uid, 1, 1, { PatientID: 'MRN-80' });
    const studies = (await byUid(uid)) as ImagingStudy[];
    expect(studies).toHaveLength(1);
    expect(studies[0]).toMatchObject({
      id: prior.id,
      status: 'available',
      encounter: { reference: 'Encounter/enc-1' },
    });
  });

  it('two replicas storing one new study at once make one Patient and one ImagingStudy', async () => {
    await using images = await tempImageStore();
    const replica = () =>
      createImagingService({
        sql: store.database.sql,
        images,
        records: fhirStudyRecords({ repo: store.repository(), registry: store.registry }),
      });
    const [a, b] = await Promise.all([replica(), replica()]);
    const uid = '1.2.826.0.3.7';
    const bytes = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        part10({
          PatientID: 'MRN-81',
          StudyInstanceUID: uid,
          SeriesInstanceUID: `${uid}.${n % 2}`,
          SOPInstanceUID: `${uid}.${n}`,
        }),
      ),
    );
    const results = await Promise.all(bytes.map((b10, i) => (i % 2 ? a : b).store(b10, H1)));
    expect(results.map((r) => r.outcome)).toEqual(['stored', 'stored', 'stored', 'stored']);
    await a.flush();
    expect(await byUid(uid)).toHaveLength(1);
    expect(((await byUid(uid))[0] as ImagingStudy).numberOfInstances).toBe(4);
    expect(await search('Patient', { identifier: 'MRN-81' })).toHaveLength(1);
  });
});
