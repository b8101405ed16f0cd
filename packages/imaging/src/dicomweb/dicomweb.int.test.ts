/**
 * DICOMweb (PS3.18) end to end: the unmodified npm `dicomweb-client` stores, searches and retrieves
 * over HTTP against the routes on the real imaging service, index and encrypted image store.
 */
import { api } from 'dicomweb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomJson } from '../service/port.ts';
import { part10 } from '../service/test-support.ts';
import { type DicomwebServer, pydicomFile, startDicomweb } from './test-harness.ts';
import { installXhr } from './test-xhr.ts';

const STUDY = '1.2.826.0.1.3680043.10.1001';
const CT_SMALL = {
  study: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322',
  series: '1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322',
  sop: '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322',
};
const JPEG = {
  study: '1.2.826.0.1.3680043.8.498.12406831542731051035295345080039845114',
  series: '1.2.826.0.1.3680043.8.498.16157229083793556332623330502397121062',
  sop: '1.2.276.0.7230010.3.1.4.8323329.15150.1506363677.126194',
};
const MULTI = {
  study: '1.2.826.0.1.3680043.10.1002',
  series: '1.2.826.0.1.3680043.10.1002.1',
  sop: '1.2.826.0.1.3680043.10.1002.1.1',
};

/** The client's typings demand every option; it needs only the ones it documents as required. */
type LooseClient = {
  [K in keyof InstanceType<typeof api.DICOMwebClient>]: (
    options?: Record<string, unknown>,
  ) => Promise<unknown>;
};
const newClient = (token: string) =>
  new api.DICOMwebClient({
    url: s.url,
    headers: { Authorization: `Bearer ${token}` },
    verbose: false,
  } as unknown as ConstructorParameters<typeof api.DICOMwebClient>[0]) as unknown as LooseClient;

let s: DicomwebServer;
let xhr: Disposable;
let client: LooseClient;
const sent = new Map<string, Uint8Array>();

const value = (ds: DicomJson, tag: string) => ds[tag]?.Value?.[0];
const same = (a: ArrayBuffer | Uint8Array, b: Uint8Array) =>
  Buffer.from(a instanceof Uint8Array ? a : new Uint8Array(a)).equals(b);

/** The client's errors carry the status and body: show them when a call fails. */
async function ok(call: Promise<unknown>): Promise<unknown> {
  try {
    return await call;
  } catch (err) {
    const e = err as { status?: number; response?: unknown };
    const body =
      e.response instanceof ArrayBuffer ? new TextDecoder().decode(e.response) : JSON.stringify(e.response);
    throw new Error(`DICOMweb call failed: ${e.status} ${body}`);
  }
}

beforeAll(async () => {
  s = await startDicomweb();
  xhr = installXhr();
  client = newClient('h1');
  for (const n of [1, 2, 3]) {
    const bytes = await part10({
      PatientID: 'MRN-DW-1',
      PatientName: 'Wang^Fang=王^芳',
      StudyDate: '20240115',
      StudyInstanceUID: STUDY,
      SeriesInstanceUID: `${STUDY}.${n < 3 ? 1 : 2}`,
      SOPInstanceUID: `${STUDY}.${n < 3 ? 1 : 2}.${n}`,
      InstanceNumber: n,
    });
    sent.set(`${STUDY}.${n < 3 ? 1 : 2}.${n}`, bytes);
  }
  for (const [name, uid] of [
    ['CT_small.dcm', CT_SMALL.sop],
    ['SC_rgb_jpeg_dcmtk.dcm', JPEG.sop],
  ] as const) {
    sent.set(uid, await pydicomFile(name));
  }
  // Native multi-frame: 3 frames of 2×2 16-bit pixels.
  const frames = new Uint16Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const multi = await part10({
    StudyInstanceUID: MULTI.study,
    SeriesInstanceUID: MULTI.series,
    SOPInstanceUID: MULTI.sop,
    NumberOfFrames: 3,
    PixelData: [frames.buffer],
  });
  sent.set(MULTI.sop, multi);
});

afterAll(async () => {
  xhr?.[Symbol.dispose]();
  await s?.[Symbol.asyncDispose]();
});

describe('dicomweb-client against /dicomweb', () => {
  it('stores instances with STOW-RS and gets a per-instance answer', async () => {
    const ours = [...sent.entries()]
      .filter(([uid]) => uid.startsWith(STUDY))
      .map(([, b]) => b.slice().buffer);
    const answer = JSON.parse(
      String(await ok(client.storeInstances({ datasets: ours, studyInstanceUID: STUDY }))),
    ) as DicomJson;
    expect(value(answer, '00081190')).toBe(`${s.url}/studies/${STUDY}`);
    const refs = answer['00081199']?.Value as DicomJson[];
    expect(refs).toHaveLength(3);
    expect(value(refs[0]!, '00081190')).toMatch(
      new RegExp(`/studies/${STUDY}/series/${STUDY}\\.1/instances/${STUDY}\\.1\\.1$`),
    );
    expect(answer['00081198']).toBeUndefined();
    for (const uid of [CT_SMALL.sop, JPEG.sop, MULTI.sop]) {
      await ok(client.storeInstances({ datasets: [sent.get(uid)!.slice().buffer] }));
    }
  });

  it('searches studies, series and instances with QIDO-RS', async () => {
    const studies = (await ok(
      client.searchForStudies({ queryParams: { PatientID: 'MRN-DW-1' } }),
    )) as DicomJson[];
    expect(studies.map((d) => value(d, '0020000D'))).toEqual([STUDY]);
    expect(value(studies[0]!, '00081190')).toBe(`${s.url}/studies/${STUDY}`);
    const byName = (await ok(
      client.searchForStudies({ queryParams: { PatientName: '王*', StudyDate: '20240101-20240131' } }),
    )) as DicomJson[];
    expect(byName.map((d) => value(d, '0020000D'))).toContain(STUDY);
    const series = (await ok(client.searchForSeries({ studyInstanceUID: STUDY }))) as DicomJson[];
    expect(series.map((d) => value(d, '0020000E')).sort()).toEqual([`${STUDY}.1`, `${STUDY}.2`]);
    const instances = (await ok(
      client.searchForInstances({
        studyInstanceUID: STUDY,
        seriesInstanceUID: `${STUDY}.1`,
        queryParams: { includefield: 'all', limit: '1' },
      }),
    )) as DicomJson[];
    expect(instances).toHaveLength(1);
    const none = (await ok(
      client.searchForStudies({ queryParams: { PatientID: 'nobody-here' } }),
    )) as DicomJson[];
    expect(none).toEqual([]);
  });

  it('retrieves instances, series and studies byte-identical to what was stored', async () => {
    const one = (await ok(
      client.retrieveInstance({
        studyInstanceUID: STUDY,
        seriesInstanceUID: `${STUDY}.1`,
        sopInstanceUID: `${STUDY}.1.2`,
      }),
    )) as ArrayBuffer;
    expect(same(one, sent.get(`${STUDY}.1.2`)!)).toBe(true);
    const study = (await ok(client.retrieveStudy({ studyInstanceUID: STUDY }))) as ArrayBuffer[];
    expect(study).toHaveLength(3);
    const expected = [...sent.entries()].filter(([uid]) => uid.startsWith(STUDY)).map(([, b]) => b);
    for (const part of study) expect(expected.some((b) => same(part, b))).toBe(true);
    const series = (await ok(
      client.retrieveSeries({ studyInstanceUID: JPEG.study, seriesInstanceUID: JPEG.series }),
    )) as ArrayBuffer[];
    expect(series).toHaveLength(1);
    expect(same(series[0]!, sent.get(JPEG.sop)!)).toBe(true);
  });

  it('retrieves metadata with absolute BulkDataURIs that resolve', async () => {
    const [meta] = (await ok(
      client.retrieveInstanceMetadata({
        studyInstanceUID: CT_SMALL.study,
        seriesInstanceUID: CT_SMALL.series,
        sopInstanceUID: CT_SMALL.sop,
      }),
    )) as DicomJson[];
    const pixelUri = meta!['7FE00010']?.BulkDataURI;
    expect(pixelUri).toBe(
      `${s.url}/studies/${CT_SMALL.study}/series/${CT_SMALL.series}/instances/${CT_SMALL.sop}/bulkdata/7FE00010`,
    );
    expect(value(meta!, '00083002')).toBe('1.2.840.10008.1.2.1');
    const [pixels] = (await ok(client.retrieveBulkData({ BulkDataURI: pixelUri! }))) as ArrayBuffer[];
    expect(pixels!.byteLength).toBe(128 * 128 * 2);
    const study = (await ok(client.retrieveStudyMetadata({ studyInstanceUID: STUDY }))) as DicomJson[];
    expect(study).toHaveLength(3);
    expect(
      study.every((d) => d['7FE00010']?.BulkDataURI?.startsWith(`${s.url}/studies/${STUDY}/series/`)),
    ).toBe(true);
  });

  it('retrieves native and JPEG frames', async () => {
    const native = (await ok(
      client.retrieveInstanceFrames({
        studyInstanceUID: MULTI.study,
        seriesInstanceUID: MULTI.series,
        sopInstanceUID: MULTI.sop,
        frameNumbers: [1, 3],
      }),
    )) as ArrayBuffer[];
    expect(native.map((f) => [...new Uint16Array(f)])).toEqual([
      [1, 2, 3, 4],
      [9, 10, 11, 12],
    ]);
    const jpeg = (await ok(
      client.retrieveInstanceFrames({
        studyInstanceUID: JPEG.study,
        seriesInstanceUID: JPEG.series,
        sopInstanceUID: JPEG.sop,
        frameNumbers: [1],
        mediaTypes: [{ mediaType: 'image/jpeg', transferSyntaxUID: '1.2.840.10008.1.2.4.50' }],
      }),
    )) as ArrayBuffer[];
    expect([...new Uint8Array(jpeg[0]!).subarray(0, 2)]).toEqual([0xff, 0xd8]);
  });

  it('renders instances and thumbnails as JPEG and PNG', async () => {
    const ids = {
      studyInstanceUID: CT_SMALL.study,
      seriesInstanceUID: CT_SMALL.series,
      sopInstanceUID: CT_SMALL.sop,
    };
    const png = (await ok(
      client.retrieveInstanceRendered({
        ...ids,
        mediaTypes: [{ mediaType: 'image/png' }],
        queryParams: { window: '40,400', viewport: '64,64' },
      }),
    )) as ArrayBuffer[] | ArrayBuffer;
    const pngBytes = new Uint8Array(Array.isArray(png) ? png[0]! : png);
    expect([...pngBytes.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const thumb = (await ok(
      client.retrieveInstanceThumbnail({ ...ids, mediaTypes: [{ mediaType: 'image/jpeg' }] }),
    )) as ArrayBuffer[] | ArrayBuffer;
    const thumbBytes = new Uint8Array(Array.isArray(thumb) ? thumb[0]! : thumb);
    expect([...thumbBytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    const frame = (await ok(
      client.retrieveInstanceFramesRendered({
        studyInstanceUID: JPEG.study,
        seriesInstanceUID: JPEG.series,
        sopInstanceUID: JPEG.sop,
        frameNumbers: [1],
        mediaTypes: [{ mediaType: 'image/jpeg' }],
      }),
    )) as ArrayBuffer[] | ArrayBuffer;
    expect([...new Uint8Array(Array.isArray(frame) ? frame[0]! : frame).subarray(0, 2)]).toEqual([
      0xff, 0xd8,
    ]);
  });

  it('hides what another institution stored: QIDO finds nothing, WADO is 404', async () => {
    const other = newClient('h2');
    expect(await other.searchForStudies({ queryParams: { PatientID: 'MRN-DW-1' } })).toEqual([]);
    await expect(other.retrieveStudy({ studyInstanceUID: STUDY })).rejects.toMatchObject({ status: 404 });
  });
});
