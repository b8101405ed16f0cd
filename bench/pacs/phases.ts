/** The measured phases of `npm run bench:pacs`, run the same way against Orthanc and Yiyun. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type LoadResult, runLoad } from '../lib/load.ts';
import { rssOf } from './orthanc.ts';

export interface PacsTarget {
  readonly name: string;
  /** DICOMweb base URL (…/dicomweb or …/dicom-web). */
  readonly dicomweb: string;
  /** Headers every DICOMweb request carries (Authorization). */
  headers(): Promise<Record<string, string>>;
  readonly dicomPort: number;
  readonly aeTitle: string;
  /** The server process, for its memory. */
  readonly pid: number | undefined;
}

const BOUNDARY = 'yiyun-bench-boundary-7d1f';

function stowBody(instance: Uint8Array): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n`),
    instance,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** Samples the server's RSS every 100 ms while `work` runs: start, peak and end. */
async function withMemory<T>(pid: number | undefined, work: () => Promise<T>) {
  const start = rssOf(pid);
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssOf(pid));
  }, 100);
  try {
    const result = await work();
    const end = rssOf(pid);
    return { result, memory: { startMB: mb(start), peakMB: mb(Math.max(peak, end)), endMB: mb(end) } };
  } finally {
    clearInterval(timer);
  }
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/** STOW-RS of every file, one instance per request, `inFlight` requests at a time. */
export async function stowPhase(target: PacsTarget, files: readonly string[], inFlight: number) {
  const headers = {
    ...(await target.headers()),
    'content-type': `multipart/related; type="application/dicom"; boundary=${BOUNDARY}`,
    accept: 'application/dicom+json',
  };
  let next = 0;
  return withMemory(target.pid, () =>
    runLoad({
      concurrency: inFlight,
      durationMs: 3_600_000,
      maxRequests: files.length,
      fn: async () => {
        const file = files[next++];
        if (!file) return true;
        const res = await fetch(`${target.dicomweb}/studies`, {
          method: 'POST',
          headers,
          body: new Uint8Array(stowBody(readFileSync(file))),
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`STOW ${res.status}`);
        return true;
      },
    }),
  );
}

/** dcmtk `storescu` sends every file of `dir` over one association; instances per second. */
export async function cstorePhase(target: PacsTarget, dir: string, count: number) {
  return withMemory(target.pid, async () => {
    const started = performance.now();
    const args = [
      '-aet',
      'BENCH',
      '-aec',
      target.aeTitle,
      '+sd',
      '+r',
      '-nh',
      '127.0.0.1',
      String(target.dicomPort),
      dir,
    ];
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      // dcmtk leaves Nagle on unless TCP_NODELAY is set in its environment (each C-STORE would wait ~50 ms).
      const child = spawn('storescu', args, {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, TCP_NODELAY: '1' },
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err = (err + d.toString()).slice(-2000);
      });
      child.on('exit', (c) => resolve({ code: c, stderr: err }));
    });
    if (code !== 0) throw new Error(`storescu exited ${code}: ${stderr}`);
    const seconds = (performance.now() - started) / 1000;
    return { instances: count, seconds, perSecond: count / seconds };
  });
}

/** `n` QIDO-RS requests of one query shape, one at a time (latency, not throughput). */
export async function qidoPhase(
  target: PacsTarget,
  queries: readonly string[],
  n = 300,
): Promise<LoadResult> {
  const headers = { ...(await target.headers()), accept: 'application/dicom+json' };
  for (const q of queries.slice(0, 20))
    await (await fetch(`${target.dicomweb}${q}`, { headers })).arrayBuffer();
  return runLoad({
    concurrency: 1,
    durationMs: 3_600_000,
    maxRequests: n,
    fn: async (_, i) => {
      const res = await fetch(`${target.dicomweb}${queries[i % queries.length]}`, { headers });
      const body = (await res.json()) as unknown[];
      if (res.status !== 200 || body.length === 0)
        throw new Error(`QIDO ${res.status}, ${body.length} results`);
      return true;
    },
  });
}

/** WADO-RS retrieve of whole studies (multipart/related of Part 10 instances); MB/s over `passes`. */
export async function wadoPhase(target: PacsTarget, studies: readonly string[]) {
  const headers = { ...(await target.headers()), accept: 'multipart/related; type="application/dicom"' };
  const pass = async () => {
    let bytes = 0;
    const started = performance.now();
    for (const study of studies) {
      const res = await fetch(`${target.dicomweb}/studies/${study}`, { headers });
      if (res.status !== 200) throw new Error(`WADO ${res.status}`);
      const reader = res.body?.getReader();
      for (let r = await reader?.read(); r && !r.done; r = await reader?.read()) bytes += r.value.byteLength;
    }
    const seconds = (performance.now() - started) / 1000;
    return { MB: mb(bytes), seconds, MBps: bytes / 2 ** 20 / seconds };
  };
  const cold = await pass();
  const warm = await pass();
  return { cold, warm };
}
