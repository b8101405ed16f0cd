/**
 * QIDO-RS / C-FIND matching over the index (PS3.18 §8.3.4, PS3.4 §C.2.2.2) at every level, with
 * paging, includefield and bad values; stored through the real service on the real store.
 */
import { AppError } from '@yiyun/fhir';
import type { Store } from '@yiyun/store';
import { createTestStore } from '@yiyun/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomJson, ImagingQuery, QueryLevel } from '../service/port.ts';
import {
  type Attributes,
  type ImagingFixture,
  institutionCaller,
  openImagingFixture,
  part10,
} from '../service/test-support.ts';

const H1 = institutionCaller('h1');
const SR = '1.2.840.10008.5.1.4.1.1.88.11';
const S1 = '1.2.826.0.1.1';
const S2 = '1.2.826.0.1.2';
const S3 = '1.2.826.0.1.3';
const S4 = '1.2.826.0.1.4';

const STUDIES: Record<string, Attributes> = {
  [S1]: {
    PatientID: 'MRN-1',
    PatientName: 'Wang^Fang=王^芳',
    StudyDate: '20240115',
    StudyTime: '101500',
    AccessionNumber: 'ACC-001',
    ReferringPhysicianName: 'Li^Ming=李^明',
    StudyDescription: 'CT chest 胸部平扫',
    StudyID: 'S1',
  },
  [S2]: {
    PatientID: 'MRN-2',
    PatientName: 'Zhang^Wei=张^伟',
    StudyDate: '20240201',
    StudyTime: '0830',
    AccessionNumber: 'ACC-002',
  },
  [S3]: {
    PatientID: 'X%_3',
    PatientName: 'Müller^Hans',
    StudyDate: '20231231',
    StudyTime: '235959',
    AccessionNumber: 'ACC_003',
  },
  [S4]: {
    PatientID: 'MRN-4',
    PatientName: 'Wang^Xiao Ming=王^小明',
    StudyDate: '20240115',
    StudyTime: '140000',
    AccessionNumber: 'ACC-004',
  },
};

let store: Store & AsyncDisposable;
let fx: ImagingFixture;

async function put(study: string, series: string, sop: string, extra: Attributes = {}) {
  const bytes = await part10({
    ...STUDIES[study],
    StudyInstanceUID: study,
    SeriesInstanceUID: series,
    SOPInstanceUID: sop,
    ...extra,
  });
  return fx.service.store(bytes, H1);
}

beforeAll(async () => {
  store = await createTestStore({ registryPollMs: 0 });
  fx = await openImagingFixture(store);
  for (const n of [1, 2, 3])
    await put(S1, `${S1}.1`, `${S1}.1.${n}`, {
      InstanceNumber: n,
      SeriesDescription: 'Axial',
      SliceThickness: 5,
      ...(n === 2 ? { AcquisitionDateTime: '20240115101600' } : {}),
    });
  await put(S1, `${S1}.2`, `${S1}.2.1`, { Modality: 'SR', SOPClassUID: SR, SeriesNumber: 2 });
  await put(S2, `${S2}.1`, `${S2}.1.1`, { Modality: 'MR' });
  await put(S3, `${S3}.1`, `${S3}.1.1`);
  await put(S4, `${S4}.1`, `${S4}.1.1`);
});

afterAll(async () => {
  await fx?.[Symbol.asyncDispose]();
  await store?.[Symbol.asyncDispose]();
});

function query(level: QueryLevel, match: Record<string, string>, extra: Partial<ImagingQuery> = {}) {
  return fx.service.query(
    { level, match: new Map(Object.entries(match)), includeFields: [], fuzzyMatching: false, ...extra },
    H1,
  );
}

const value = (json: DicomJson, tag: string) => json[tag]?.Value?.[0];
const studyUids = async (match: Record<string, string>, extra: Partial<ImagingQuery> = {}) =>
  (await query('study', match, extra)).map((s) => value(s, '0020000D'));

describe('study level', () => {
  it('returns the required attributes, computed counts and ModalitiesInStudy, newest first', async () => {
    const all = await query('study', {});
    expect(all.map((s) => value(s, '0020000D'))).toEqual([S2, S4, S1, S3]);
    const s1 = all[2] as DicomJson;
    expect(s1['00080061']).toEqual({ vr: 'CS', Value: ['CT', 'SR'] });
    expect(value(s1, '00201206')).toBe(2);
    expect(value(s1, '00201208')).toBe(4);
    expect(s1['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'Wang^Fang', Ideographic: '王^芳' }] });
    expect(s1['00081030']).toBeUndefined();
    expect(all[0]?.['00080090']).toEqual({ vr: 'PN' });
  });

  it('single value, wildcard and escaped LIKE metacharacters on Patient ID', async () => {
    expect(await studyUids({ '00100020': 'MRN-1' })).toEqual([S1]);
    expect(await studyUids({ '00100020': 'MRN-*' })).toEqual([S2, S4, S1]);
    expect(await studyUids({ '00100020': 'X%_3' })).toEqual([S3]);
    expect(await studyUids({ '00100020': 'X%*' })).toEqual([S3]);
    expect(await studyUids({ '00100020': '?%_?' })).toEqual([S3]);
    expect(await studyUids({ '00100020': 'mrn-1' })).toEqual([]);
    expect(await studyUids({ '00100020': 'MRN-1\\MRN-2' })).toEqual([S2, S1]);
  });

  it('date and time ranges, partial dates, open ends', async () => {
    expect(await studyUids({ '00080020': '20240115' })).toEqual([S4, S1]);
    expect(await studyUids({ '00080020': '20240101-20240131' })).toEqual([S4, S1]);
    expect(await studyUids({ '00080020': '-2023' })).toEqual([S3]);
    expect(await studyUids({ '00080020': '2024-' })).toEqual([S2, S4, S1]);
    expect(await studyUids({ '00080020': '202402' })).toEqual([S2]);
    expect(await studyUids({ '00080030': '1000-1100' })).toEqual([S1]);
    expect(await studyUids({ '00080020': '2024', '00080030': '-09' })).toEqual([S2]);
    expect(await studyUids({ '00100030': '1980' })).toHaveLength(4);
  });

  it('UID lists, modalities in study, accession and description wildcards', async () => {
    expect(await studyUids({ '0020000D': `${S1}\\${S3}` })).toEqual([S1, S3]);
    expect(await studyUids({ '0020000D': `${S3},${S2}` })).toEqual([S2, S3]);
    expect(await studyUids({ '00080061': 'MR' })).toEqual([S2]);
    expect(await studyUids({ '00080061': 'SR\\MR' })).toEqual([S2, S1]);
    expect(await studyUids({ '00080050': 'ACC_003' })).toEqual([S3]);
    expect(await studyUids({ '00080050': 'ACC_*' })).toEqual([S3]);
    expect(await studyUids({ '00080050': 'ACC?00*' })).toHaveLength(4);
    expect(await studyUids({ '00081030': 'CT*' })).toEqual([S1]);
    expect(await studyUids({ '00200010': 'S1' })).toEqual([S1]);
  });

  it("patient's name: any component group, case-insensitive, wildcards, group-wise", async () => {
    expect(await studyUids({ '00100010': 'wang^fang' })).toEqual([S1]);
    expect(await studyUids({ '00100010': '王^芳' })).toEqual([S1]);
    expect(await studyUids({ '00100010': 'WANG*' })).toEqual([S4, S1]);
    expect(await studyUids({ '00100010': '王*' })).toEqual([S4, S1]);
    expect(await studyUids({ '00100010': '*fang' })).toEqual([S1]);
    expect(await studyUids({ '00100010': 'Wang^Fang=王^芳' })).toEqual([S1]);
    expect(await studyUids({ '00100010': '=张^伟' })).toEqual([S2]);
    expect(await studyUids({ '00100010': 'Wang^Fang=张^伟' })).toEqual([]);
    expect(await studyUids({ '00100010': 'MÜLLER^hans' })).toEqual([S3]);
    expect(await studyUids({ '00100010': 'Wang' })).toEqual([]);
  });

  it('fuzzy matching: word prefixes in any order, ignoring case, accents and separators', async () => {
    const fuzzy = { fuzzyMatching: true };
    expect(await studyUids({ '00100010': 'fang wang' }, fuzzy)).toEqual([S1]);
    expect(await studyUids({ '00100010': 'fang wang' })).toEqual([]);
    expect(await studyUids({ '00100010': 'wang' }, fuzzy)).toEqual([S4, S1]);
    expect(await studyUids({ '00100010': 'xiaom' }, fuzzy)).toEqual([S4]);
    expect(await studyUids({ '00100010': 'wangxiaoming' }, fuzzy)).toEqual([S4]);
    expect(await studyUids({ '00100010': 'muller' }, fuzzy)).toEqual([S3]);
    expect(await studyUids({ '00100010': '王芳' }, fuzzy)).toEqual([S1]);
    expect(await studyUids({ '00100010': '小' }, fuzzy)).toEqual([S4]);
  });

  it('referring physician (PN, any group) ', async () => {
    expect(await studyUids({ '00080090': 'li^ming' })).toEqual([S1]);
    expect(await studyUids({ '00080090': '李*' })).toEqual([S1]);
    expect(await studyUids({ '00080090': '=李^明' })).toEqual([S1]);
  });

  it('ignores unsupported and lower-level keys, and sequence paths', async () => {
    expect(
      await studyUids({ '00081080': 'anything', '00400275.00400009': 'x', '00200013': '7' }),
    ).toHaveLength(4);
  });

  it('pages deterministically and clamps the limit', async () => {
    expect(await studyUids({}, { limit: 2, offset: 1 })).toEqual([S4, S1]);
    expect(await studyUids({}, { limit: 2, offset: 3 })).toEqual([S3]);
    expect(await studyUids({}, { limit: 1_000_000 })).toHaveLength(4);
  });

  it('includefield and all', async () => {
    const [s1] = await query('study', { '0020000D': S1 }, { includeFields: ['00081030', '00180050'] });
    expect(value(s1 as DicomJson, '00081030')).toBe('CT chest 胸部平扫');
    expect(s1?.['00180050']).toBeUndefined(); // an instance-level attribute is not a study's
    const [all] = await query('study', { '0020000D': S1 }, { includeFields: 'all' });
    expect(value(all as DicomJson, '00100040')).toBe('F');
    expect(value(all as DicomJson, '00080060')).toBeUndefined();
  });
});

describe('series level', () => {
  it('relational queries return the study attributes; scoped ones do not', async () => {
    const series = await query('series', { '00100020': 'MRN-1' });
    expect(series.map((s) => value(s, '0020000E'))).toEqual([`${S1}.1`, `${S1}.2`]);
    expect(value(series[0] as DicomJson, '00100020')).toBe('MRN-1');
    expect(value(series[0] as DicomJson, '00201209')).toBe(3);
    expect(value(series[0] as DicomJson, '0008103E')).toBe('Axial');
    const scoped = await query('series', {}, { study: S1 });
    expect(scoped).toHaveLength(2);
    expect(scoped[0]?.['00100020']).toBeUndefined();
    expect(value(scoped[1] as DicomJson, '00080060')).toBe('SR');
  });

  it('modality, number and UID matching', async () => {
    const uids = async (match: Record<string, string>) =>
      (await query('series', match)).map((s) => value(s, '0020000E'));
    expect(await uids({ '00080060': 'SR' })).toEqual([`${S1}.2`]);
    expect(await uids({ '00080060': 'MR\\SR' })).toEqual([`${S2}.1`, `${S1}.2`]);
    expect(await uids({ '00200011': '2' })).toEqual([`${S1}.2`]);
    expect(await uids({ '0020000E': `${S3}.1\\${S4}.1` })).toEqual([`${S4}.1`, `${S3}.1`]);
  });
});

describe('instance level', () => {
  it('orders by instance number and matches instance keys', async () => {
    const within = await query('instance', {}, { study: S1, series: `${S1}.1` });
    expect(within.map((i) => value(i, '00200013'))).toEqual([1, 2, 3]);
    expect(within[0]?.['0020000E']).toBeUndefined();
    expect(value(within[0] as DicomJson, '00280010')).toBe(2);
    const sr = await query('instance', { '00080016': '1.2.840.10008.5.1.4.1.1.88.11' });
    expect(sr.map((i) => value(i, '00080018'))).toEqual([`${S1}.2.1`]);
    const second = await query('instance', { '00200013': '2' }, { study: S1 });
    expect(second.map((i) => value(i, '00080018'))).toEqual([`${S1}.1.2`]);
    const acquired = await query('instance', { '0008002A': '202401151000-202401151030' });
    expect(acquired.map((i) => value(i, '00080018'))).toEqual([`${S1}.1.2`]);
  });

  it('relational instance queries carry study and series attributes; includefield reads the metadata', async () => {
    const [mr] = await query('instance', { '00100020': 'MRN-2' }, { includeFields: ['00180050'] });
    expect(value(mr as DicomJson, '0020000D')).toBe(S2);
    expect(value(mr as DicomJson, '00080060')).toBe('MR');
    expect(value(mr as DicomJson, '00180050')).toBeUndefined();
    const [ct] = await query(
      'instance',
      { '00200013': '1' },
      { study: S1, series: `${S1}.1`, includeFields: ['00180050'] },
    );
    expect(value(ct as DicomJson, '00180050')).toBe(5);
    const [all] = await query(
      'instance',
      { '00200013': '1' },
      { study: S1, series: `${S1}.1`, includeFields: 'all' },
    );
    expect(value(all as DicomJson, '00280002')).toBe(1);
    expect(all?.['7FE00010']?.BulkDataURI ?? all?.['7FE00010']?.InlineBinary).toBeDefined();
  });
});

describe('bad values', () => {
  it.each([
    ['00080020', 'yesterday'],
    ['00080020', '20240230'],
    ['00080030', '2500'],
    ['0020000D', 'not-a-uid'],
    ['00200011', 'two'],
    ['0008002A', '2024-xx'],
  ])('%s=%s is AppError invalid', async (tag, bad) => {
    const error = await query('instance', { [tag]: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid');
  });

  it('bad paging and includefield are invalid; the failure is audited', async () => {
    await expect(query('study', {}, { limit: 0 })).rejects.toMatchObject({ code: 'invalid' });
    await expect(query('study', {}, { offset: -1 })).rejects.toMatchObject({ code: 'invalid' });
    await expect(query('study', {}, { includeFields: ['PatientName'] })).rejects.toMatchObject({
      code: 'invalid',
    });
    expect(fx.audit.events.at(-1)).toMatchObject({ action: 'query', outcome: 'failure', error: 'invalid' });
  });
});

describe('index upsert', () => {
  it('a re-send is a duplicate that changes nothing; new bytes replace the instance; counts hold', async () => {
    const writes = fx.images.writes;
    expect((await put(S2, `${S2}.1`, `${S2}.1.1`, { Modality: 'MR' })).outcome).toBe('duplicate');
    expect(fx.images.writes).toBe(writes);
    const replaced = await put(S2, `${S2}.1`, `${S2}.1.1`, { Modality: 'MR', ImageComments: 'corrected' });
    expect(replaced.outcome).toBe('stored');
    const [s2] = await query('study', { '0020000D': S2 });
    expect(value(s2 as DicomJson, '00201208')).toBe(1);
    const [located] = await fx.service.locate({ study: S2 }, H1);
    const bytes = await fx.service.read(located as NonNullable<typeof located>);
    expect(Buffer.from(bytes).includes(Buffer.from('corrected'))).toBe(true);
  });

  it('refuses an instance moved to another series, another institution’s study, a wrong expected study', async () => {
    await expect(put(S3, `${S3}.9`, `${S3}.1.1`)).rejects.toMatchObject({ code: 'conflict' });
    const other = await part10({
      ...STUDIES[S3],
      StudyInstanceUID: S3,
      SeriesInstanceUID: `${S3}.1`,
      SOPInstanceUID: `${S3}.1.5`,
    });
    await expect(fx.service.store(other, institutionCaller('h2'))).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(fx.service.store(other, H1, { expectedStudy: S4 })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(fx.service.store(other, { ...H1, canStore: false })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const otherPatient = await part10({
      ...STUDIES[S3],
      PatientID: 'MRN-9',
      StudyInstanceUID: S3,
      SeriesInstanceUID: `${S3}.1`,
      SOPInstanceUID: `${S3}.1.6`,
    });
    await expect(fx.service.store(otherPatient, H1)).rejects.toMatchObject({ code: 'conflict' });
    const [s3] = await query('study', { '0020000D': S3 });
    expect(value(s3 as DicomJson, '00201208')).toBe(1);
  });
});
