/**
 * `npm run bench:pacs [-- --studies 24 --slices 100 --qido 100000 --no-orthanc]` (issue #6): the same
 * data and scripts against Debian's Orthanc and Yiyun, side by side on this machine:
 *  1. ingest of 2,400 CT instances of 525 KB: STOW-RS with 1 and 4 requests in flight, and dcmtk
 *     `storescu` over one association (C-STORE), each into a fresh server; the server's memory
 *     during the first ingest;
 *  2. WADO-RS retrieve of whole studies (cold, then warm);
 *  3. QIDO-RS p95 at 100 k small instances: PatientID, a date range, a name wildcard.
 * Yiyun runs twice: plain (no encryption, one copy) and secure (AES-256-GCM, two copies).
 * Prints a Markdown section for BENCHMARKS.md; raw figures go to bench/out/pacs-results.json.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchResults } from '../lib/results.ts';
import { SMALL_PER_STUDY, smallInstances, studyPlan, writeCtStudies } from './data.ts';
import { startOrthanc } from './orthanc.ts';
import { cstorePhase, type PacsTarget, qidoPhase, stowPhase, wadoPhase } from './phases.ts';
import { loadSmall } from './qido-load.ts';
import { startYiyun } from './yiyun-process.ts';

const { values: args } = parseArgs({
  options: {
    studies: { type: 'string', default: '24' },
    slices: { type: 'string', default: '100' },
    qido: { type: 'string', default: '100000' },
    'no-orthanc': { type: 'boolean', default: false },
  },
});
const studies = Number(args.studies);
const slices = Number(args.slices);
const results = benchResults(0);
const work = join(results.outDir, 'pacs');
const ctDir = join(work, `ct-${studies}x${slices}`);
if (!existsSync(ctDir)) {
  console.log(`writing ${studies * slices} CT instances to ${ctDir} …`);
  writeCtStudies(ctDir, studies, slices, '7');
}
const files = readdirSync(ctDir).flatMap((study) =>
  readdirSync(join(ctDir, study)).map((f) => join(ctDir, study, f)),
);
const studyUids = readdirSync(ctDir).slice(0, 5);

interface Started extends AsyncDisposable {
  readonly target: PacsTarget;
}

type Starter = (dir: string) => Promise<Started>;

const orthanc: Starter = async (dir) => {
  const o = await startOrthanc(dir);
  return {
    target: {
      name: 'Orthanc',
      dicomweb: o.dicomweb,
      headers: async () => ({}),
      dicomPort: o.dicomPort,
      aeTitle: o.aeTitle,
      pid: o.child.pid,
    },
    [Symbol.asyncDispose]: () => o[Symbol.asyncDispose](),
  };
};

const yiyun =
  (name: string, cipher: string, replicas: number): Starter =>
  async () => {
    const y = await startYiyun({ cipher, replicas });
    return {
      target: {
        name,
        dicomweb: `${y.origin}/dicomweb`,
        headers: async () => ({ authorization: `Bearer ${y.token()}` }),
        dicomPort: y.dicomPort,
        aeTitle: 'YIYUN',
        pid: y.pid,
      },
      [Symbol.asyncDispose]: () => y[Symbol.asyncDispose](),
    };
  };

const targets: [string, Starter][] = [
  ...(args['no-orthanc'] ? [] : ([['orthanc', orthanc]] as [string, Starter][])),
  ['yiyun-plain', yiyun('Yiyun (plain)', 'none', 1)],
  ['yiyun-secure', yiyun('Yiyun (AES-256-GCM, 2 copies)', 'aes-256-gcm', 2)],
];

async function fresh<T>(start: Starter, key: string, fn: (t: PacsTarget) => Promise<T>): Promise<T> {
  const dir = join(work, `run-${key}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    await using started = await start(dir);
    return await fn(started.target);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const [key, start] of targets) {
  console.log(`\n## ${key}`);
  const one = await fresh(start, key, async (t) => {
    const stow = await stowPhase(t, files, 1);
    const wado = await wadoPhase(t, studyUids);
    return { stow, wado };
  });
  results.log(`${key}.stow1`, one.stow.result);
  results.log(`${key}.stow1.memory`, one.stow.memory);
  results.log(`${key}.wado`, one.wado);
  const four = await fresh(start, key, (t) => stowPhase(t, files, 4));
  results.log(`${key}.stow4`, four.result);
  const cstore = await fresh(start, key, (t) => cstorePhase(t, ctDir, files.length));
  results.log(`${key}.cstore`, cstore.result);
}

const qidoCount = Number(args.qido);
const qidoStudies = Math.ceil(qidoCount / SMALL_PER_STUDY);
const pick = (i: number) => studyPlan((i * 7919) % qidoStudies, '9');
const shapes = {
  patientId: Array.from({ length: 100 }, (_, i) => `/studies?PatientID=${pick(i).patientId}`),
  dateRange: Array.from({ length: 100 }, (_, i) => {
    const d = pick(i).studyDate;
    return `/studies?StudyDate=${d}-${d}`;
  }),
  nameWildcard: Array.from({ length: 100 }, (_, i) => {
    // `Family*Giv*`: Orthanc 1.10 matches no `^` in a wildcard query, so both sides get a `*` there.
    const [family = '', given = ''] = (pick(i).patientName.split('=')[0] ?? '').split('^');
    return `/studies?PatientName=${encodeURIComponent(`${family}*${given.slice(0, -3)}*`)}`;
  }),
};
for (const [key, start] of targets.filter(([k]) => k !== 'yiyun-secure')) {
  await fresh(start, `${key}-qido`, async (t) => {
    const loaded = await loadSmall(t, smallInstances(qidoCount, '9'), qidoCount);
    results.log(`${key}.qido.load`, loaded);
    for (const [shape, queries] of Object.entries(shapes))
      results.log(`${key}.qido.${shape}`, await qidoPhase(t, queries));
  });
}
results.save('pacs-results.json');
