import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Context, Hono } from 'hono';

/**
 * A minimal read-only DICOMweb (PS3.18) over pydicom test files, for the viewer's e2e test only,
 * standing in for the imaging package's routes until they land: QIDO-RS studies / series / instances,
 * WADO-RS series metadata and frames. It demands a bearer token, so the test proves the viewer sends it.
 */
export const TEST_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

interface JsonElement {
  vr: string;
  Value?: unknown[];
  BulkDataURI?: string;
  InlineBinary?: string;
}
type Json = Record<string, JsonElement>;
interface Dcmjs {
  data: { DicomMessage: { readFile(buffer: ArrayBuffer): { meta: Json; dict: Json } } };
}

export interface FixtureInstance {
  readonly json: Json;
  /** The single frame: native pixel bytes, or the compressed frame of an encapsulated syntax. */
  readonly frame: Uint8Array;
  readonly transferSyntax: string;
}

export const str = (ds: Json, tag: string): string => String(ds[tag]?.Value?.[0] ?? '');

/** dcmjs's dict is DICOM JSON except that binary values are ArrayBuffers (PS3.18 §F.2.7: InlineBinary). */
function toDicomJson(dict: Json): Json {
  const out: Json = {};
  for (const [tag, el] of Object.entries(dict)) {
    if (tag === '7FE00010') out[tag] = { vr: el.vr, BulkDataURI: 'frames/1' };
    else if (el.Value?.[0] instanceof ArrayBuffer) {
      out[tag] = { vr: el.vr, InlineBinary: Buffer.from(el.Value[0]).toString('base64') };
    } else if (el.vr === 'SQ')
      out[tag] = { vr: 'SQ', Value: (el.Value ?? []).map((i) => toDicomJson(i as Json)) };
    else out[tag] = el;
  }
  return out;
}

export function loadInstance(name: string): FixtureInstance {
  const dcmjs = createRequire(import.meta.url)('dcmjs') as Dcmjs;
  const bytes = readFileSync(`${TEST_FILES}/${name}`);
  const { meta, dict } = dcmjs.data.DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  );
  // Single-frame files: the native pixel data, or all fragments of the one encapsulated frame.
  const parts = (dict['7FE00010']?.Value ?? []).filter((v): v is ArrayBuffer => v instanceof ArrayBuffer);
  if (parts.length === 0) throw new Error(`${name}: no pixel data`);
  const frame = new Uint8Array(Buffer.concat(parts.map((p) => new Uint8Array(p))));
  return { json: toDicomJson(dict), frame, transferSyntax: str(meta, '00020010') };
}

function pick(ds: Json, tags: readonly string[]): Json {
  return Object.fromEntries(tags.flatMap((t) => (ds[t] ? [[t, ds[t]]] : [])));
}

const STUDY_TAGS = ['0020000D', '00080020', '00081030'];
const SERIES_TAGS = ['0020000E', '00080060', '00200011', '0008103E'];
const NATIVE = '1.2.840.10008.1.2.1';
// PS3.18 §8.7.3.5.2 (Table 8.7.3-2): the frame media type of each compressed transfer syntax.
const FRAME_MEDIA_TYPE: Record<string, string> = {
  [NATIVE]: 'application/octet-stream',
  '1.2.840.10008.1.2.4.90': 'image/jp2',
  '1.2.840.10008.1.2.4.80': 'image/jls',
  '1.2.840.10008.1.2.5': 'image/x-dicom-rle',
};

function frameResponse(c: Context, hit: FixtureInstance): Response {
  const type = FRAME_MEDIA_TYPE[hit.transferSyntax];
  if (!type) return c.body(null, 406);
  const ts = `transfer-syntax=${hit.transferSyntax}`;
  const boundary = 'yiyun-frame-boundary';
  const head = `--${boundary}\r\nContent-Type: ${type}; ${ts}\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head), hit.frame, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return c.body(body, 200, {
    'Content-Type': `multipart/related; type="${type}"; boundary=${boundary}; ${ts}`,
  });
}

/** Routes to mount at /dicomweb; `seen` records `token|none <path>` of every request. */
export function fixtureDicomWeb(options: {
  readonly instances: readonly FixtureInstance[];
  readonly token: string;
  readonly seen?: string[];
}): Hono {
  const { instances, token, seen } = options;
  const app = new Hono();
  const inStudy = (c: Context) => instances.filter((i) => str(i.json, '0020000D') === c.req.param('study'));
  const inSeries = (c: Context) =>
    inStudy(c).filter((i) => str(i.json, '0020000E') === c.req.param('series'));
  app.use('*', async (c, next) => {
    const isAuthorized = c.req.header('authorization') === `Bearer ${token}`;
    seen?.push(`${isAuthorized ? 'token' : 'none'} ${c.req.path}`);
    if (!isAuthorized) return c.json({ error: 'unauthenticated' }, 401);
    await next();
  });
  app.get('/studies', (c) => {
    const uid = c.req.query('0020000D') ?? c.req.query('StudyInstanceUID');
    const hits = instances.filter((i) => !uid || str(i.json, '0020000D') === uid);
    const modalities = (i: FixtureInstance) => ({
      '00080061': { vr: 'CS', Value: [str(i.json, '00080060')] },
    });
    return c.json(hits.map((i) => ({ ...pick(i.json, STUDY_TAGS), ...modalities(i) })));
  });
  app.get('/studies/:study/series', (c) =>
    c.json(inStudy(c).map((i) => ({ ...pick(i.json, SERIES_TAGS), '00201209': { vr: 'IS', Value: [1] } }))),
  );
  app.get('/studies/:study/series/:series/instances', (c) =>
    c.json(inSeries(c).map((i) => pick(i.json, ['00080016', '00080018', '00200013']))),
  );
  app.get('/studies/:study/series/:series/metadata', (c) => c.json(inSeries(c).map((i) => i.json)));
  app.get('/studies/:study/series/:series/instances/:sop/frames/:frame', (c) => {
    const hit = inSeries(c).find((i) => str(i.json, '00080018') === c.req.param('sop'));
    return hit && c.req.param('frame') === '1' ? frameResponse(c, hit) : c.body(null, 404);
  });
  return app;
}
