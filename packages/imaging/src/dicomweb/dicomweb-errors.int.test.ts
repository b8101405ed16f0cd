/**
 * DICOMweb bad requests over raw HTTP (issue #6 acceptance: broken multipart bodies and aborted
 * uploads give clear errors and store nothing partial), per-instance STOW failures, content
 * negotiation failures, auth, CORS for a viewer on another origin, and the capabilities statement.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomJson } from '../service/port.ts';
import { part10 } from '../service/test-support.ts';
import {
  type DicomwebServer,
  MAX_UPLOAD,
  pydicomFile,
  startDicomweb,
  stowBody,
  VIEWER_ORIGIN,
} from './test-harness.ts';

let s: DicomwebServer;
const H1 = { authorization: 'Bearer h1' };
const B = 'test-boundary-1';
const MULTIPART = `multipart/related; type="application/dicom"; boundary=${B}`;
let uid = 0;

const seq = (ds: DicomJson, tag: string) => (ds[tag]?.Value ?? []) as DicomJson[];

/** A fresh small instance in its own study. */
async function instance(study = `1.2.826.0.1.3680043.10.2${++uid}`) {
  const sop = `${study}.1.1`;
  const bytes = await part10({
    StudyInstanceUID: study,
    SeriesInstanceUID: `${study}.1`,
    SOPInstanceUID: sop,
    PatientID: 'MRN-ERR',
  });
  return { study, sop, bytes };
}

const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  fetch(`${s.url}${path}`, {
    method: 'POST',
    body,
    headers: { ...H1, 'content-type': MULTIPART, ...headers },
  });

/** Whether QIDO finds the instance (i.e. it was stored and indexed). */
async function isStored(sop: string): Promise<boolean> {
  const res = await fetch(`${s.url}/instances?SOPInstanceUID=${sop}`, { headers: H1 });
  return ((await res.json()) as unknown[]).length > 0;
}

async function expectNothingStored(
  res: Response,
  status: number,
  message: RegExp,
  sops: string[],
  callsBefore: number,
) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { message: string };
  expect(body.message).toMatch(message);
  expect(s.storeCalls()).toBe(callsBefore);
  for (const sop of sops) expect(await isStored(sop)).toBe(false);
}

beforeAll(async () => {
  s = await startDicomweb();
});

afterAll(async () => {
  await s?.[Symbol.asyncDispose]();
});

describe('STOW-RS refuses broken requests and stores nothing from them', () => {
  it('no boundary, no closing delimiter, a truncated part, a wrong part type', async () => {
    const a = await instance();
    const b = await instance();
    const calls = s.storeCalls();
    const whole = stowBody([a.bytes, b.bytes], B);
    await expectNothingStored(
      await post('/studies', whole, { 'content-type': 'multipart/related; type="application/dicom"' }),
      400,
      /no boundary/,
      [a.sop],
      calls,
    );
    const unclosed = whole.subarray(0, whole.length - `--${B}--\r\n`.length);
    await expectNothingStored(
      await post('/studies', unclosed),
      400,
      /truncated \(no closing boundary delimiter\)/,
      [a.sop, b.sop],
      calls,
    );
    const cut = whole.subarray(0, Math.floor(whole.length * 0.75));
    await expectNothingStored(await post('/studies', cut), 400, /part 2 is truncated/, [a.sop, b.sop], calls);
    const mixed = Buffer.concat([
      stowBody([a.bytes], B).subarray(0, -`--${B}--\r\n`.length),
      Buffer.from(`--${B}\r\nContent-Type: application/dicom+json\r\n\r\n{}\r\n--${B}--\r\n`),
    ]);
    await expectNothingStored(
      await post('/studies', mixed),
      415,
      /part 2 is application\/dicom\+json/,
      [a.sop],
      calls,
    );
    await expectNothingStored(
      await post('/studies', 'garbage without delimiters'),
      400,
      /no boundary delimiter/,
      [],
      calls,
    );
  });

  it('a wrong Content-Type, metadata+bulk data STOW and no Content-Type are 415', async () => {
    const a = await instance();
    const calls = s.storeCalls();
    const body = stowBody([a.bytes], B);
    await expectNothingStored(
      await post('/studies', body, { 'content-type': 'text/plain' }),
      415,
      /text\/plain is not supported/,
      [a.sop],
      calls,
    );
    await expectNothingStored(
      await post('/studies', body, {
        'content-type': `multipart/related; type="application/dicom+json"; boundary=${B}`,
      }),
      415,
      /metadata with bulk data/,
      [a.sop],
      calls,
    );
    const bare = await fetch(`${s.url}/studies`, { method: 'POST', body: new Blob([body]), headers: H1 });
    expect(bare.status).toBe(415);
  });

  it('too large: by Content-Length up front, and by counting a chunked body', async () => {
    const a = await instance();
    const calls = s.storeCalls();
    const big = new Uint8Array(MAX_UPLOAD + 1024);
    big.set(stowBody([a.bytes], B).subarray(0, 200));
    await expectNothingStored(await post('/studies', big), 413, /exceeds the limit/, [a.sop], calls);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++)
          controller.enqueue(big.subarray((i * big.length) / 5, ((i + 1) * big.length) / 5));
        controller.close();
      },
    });
    const res = await fetch(`${s.url}/studies`, {
      method: 'POST',
      body: chunked,
      headers: { ...H1, 'content-type': MULTIPART },
      duplex: 'half',
    } as RequestInit);
    await expectNothingStored(res, 413, /exceeds the limit/, [a.sop], calls);
  });

  it('an upload aborted mid-body stores nothing, not even its complete first part', async () => {
    const a = await instance();
    const b = await instance();
    const calls = s.storeCalls();
    const whole = stowBody([a.bytes, b.bytes], B);
    const controller = new AbortController();
    let sentFirst!: () => void;
    const firstSent = new Promise<void>((resolve) => {
      sentFirst = resolve;
    });
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(whole.subarray(0, a.bytes.length + 200)); // all of part 1, a bit of part 2
        sentFirst();
      },
    });
    const request = fetch(`${s.url}/studies`, {
      method: 'POST',
      body,
      headers: { ...H1, 'content-type': MULTIPART },
      signal: controller.signal,
      duplex: 'half',
    } as RequestInit).catch((err: unknown) => err);
    await firstSent;
    await sleep(300);
    controller.abort();
    expect(await request).toBeInstanceOf(Error);
    await sleep(500);
    expect(s.storeCalls()).toBe(calls);
    expect(await isStored(a.sop)).toBe(false);
    expect(s.logs.filter((l) => l.level === 'error')).toEqual([]);
    // the server is fine afterwards
    const ok = await post('/studies', stowBody([a.bytes], B));
    expect(ok.status).toBe(200);
  });
});

describe('STOW-RS answers per instance', () => {
  it('202 with a Failed SOP item and its reason when some fail; 409 when all fail', async () => {
    const good = await instance();
    const other = await instance();
    const res = await post(
      `/studies/${good.study}`,
      stowBody([good.bytes, other.bytes, new TextEncoder().encode('not dicom')], B),
    );
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBe('application/dicom+json');
    expect(res.headers.get('warning')).toMatch(/^299 yiyun "/);
    const body = (await res.json()) as DicomJson;
    const failed = seq(body, '00081198');
    expect(failed.map((f) => f['00081197']?.Value?.[0])).toEqual([0xa900, 0xc000]);
    expect(failed[0]!['00081155']?.Value).toEqual([other.sop]);
    const reason = seq(failed[1]!, '00741048')[0]?.['00000902']?.Value?.[0];
    expect(typeof reason).toBe('string');
    expect(seq(body, '00081199').map((r) => r['00081155']?.Value?.[0])).toEqual([good.sop]);
    expect(await isStored(other.sop)).toBe(false);
    const truncated = await pydicomFile('rtplan_truncated.dcm'); // a value runs past the end
    const all = await post('/studies', stowBody([truncated], B));
    expect(all.status).toBe(409);
    const reasonText = JSON.stringify(await all.json());
    expect(reasonText).toMatch(/truncated/);
  });

  it('re-sending the same instance is idempotent (200)', async () => {
    const a = await instance();
    expect((await post('/studies', stowBody([a.bytes], B))).status).toBe(200);
    expect((await post('/studies', stowBody([a.bytes], B))).status).toBe(200);
  });

  it('a caller who may not store gets 403 before the body is read; no token is 401', async () => {
    const a = await instance();
    const denied = await post('/studies', stowBody([a.bytes], B), { authorization: 'Bearer reader-h1' });
    expect(denied.status).toBe(403);
    const anonymous = await fetch(`${s.url}/studies`, { headers: { accept: 'application/dicom+json' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="yiyun"');
  });
});

describe('QIDO-RS and WADO-RS errors', () => {
  it('unknown attributes are 400 with a message; unknown includefield names are a Warning', async () => {
    const bad = await fetch(`${s.url}/studies?PatientNmae=x`, { headers: H1 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(
      /"PatientNmae" is not a known DICOM attribute/,
    );
    const warned = await fetch(`${s.url}/studies?includefield=NotAnAttribute`, { headers: H1 });
    expect(warned.status).toBe(200);
    expect(warned.headers.get('warning')).toMatch(/NotAnAttribute/);
  });

  it('406 for a transfer syntax that is not stored and for renderings of what has no pixels', async () => {
    const a = await instance();
    const url = `${s.url}/studies/${a.study}/series/${a.study}.1/instances/${a.sop}`;
    await post('/studies', stowBody([a.bytes], B));
    const ts = await fetch(url, {
      headers: {
        ...H1,
        accept: 'multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.4.50',
      },
    });
    expect(ts.status).toBe(406);
    expect(((await ts.json()) as { message: string }).message).toMatch(/no transcoding/);
    const gif = await fetch(`${url}/rendered`, { headers: { ...H1, accept: 'image/gif' } });
    expect(gif.status).toBe(406);
    const sr = await part10({
      StudyInstanceUID: `${a.study}.9`,
      SeriesInstanceUID: `${a.study}.9.1`,
      SOPInstanceUID: `${a.study}.9.1.1`,
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
      PixelData: undefined,
      Rows: undefined,
      Columns: undefined,
    });
    expect((await post('/studies', stowBody([sr], B))).status).toBe(200);
    const noPixels = await fetch(
      `${s.url}/studies/${a.study}.9/series/${a.study}.9.1/instances/${a.study}.9.1.1/rendered`,
      { headers: H1 },
    );
    expect(noPixels.status).toBe(406);
  });

  it('404 for what is not there, a small JSON body, never a stack; 500 is generic and logged', async () => {
    const missing = await fetch(`${s.url}/studies/1.2.3.404`, { headers: H1 });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not-found' });
    const frames = await fetch(`${s.url}/studies/1.2/series/1.3/instances/1.4/frames/0,x`, { headers: H1 });
    expect(frames.status).toBe(400);
    const boom = await fetch(`${s.url}/studies`, {
      headers: { authorization: 'Bearer explode', 'x-request-id': 'req-boom' },
    });
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).not.toMatch(/secret|stack|at /);
    expect(s.logs.some((l) => l.level === 'error' && l.fields['reqId'] === 'req-boom')).toBe(true);
  });
});

describe('CORS and capabilities', () => {
  it('answers a viewer preflight on any resource and exposes Warning', async () => {
    const pre = await fetch(`${s.url}/studies/1.2/series/1.3/instances/1.4/frames/1`, {
      method: 'OPTIONS',
      headers: {
        origin: VIEWER_ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization, accept',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(VIEWER_ORIGIN);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization.*accept.*content-type/);
    const stranger = await fetch(`${s.url}/studies`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${s.url}/studies`, { headers: { ...H1, origin: VIEWER_ORIGIN } });
    expect(get.headers.get('access-control-allow-origin')).toBe(VIEWER_ORIGIN);
    expect(get.headers.get('access-control-expose-headers')).toMatch(/warning/);
  });

  it('OPTIONS / is the WADL capabilities statement; /capabilities a JSON summary', async () => {
    const wadl = await fetch(`${s.url}/`, { method: 'OPTIONS' });
    expect(wadl.status).toBe(200);
    expect(wadl.headers.get('content-type')).toBe('application/vnd.sun.wadl+xml');
    const xml = await wadl.text();
    expect(xml).toContain('<application xmlns="http://wadl.dev.java.net/2009/02"');
    expect(xml).toContain('id="RetrieveFrames"');
    const json = (await (await fetch(`${s.url}/capabilities`)).json()) as { transactions: { id: string }[] };
    expect(json.transactions.map((t) => t.id)).toContain('StoreInstances');
  });
});
