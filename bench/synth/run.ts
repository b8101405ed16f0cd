/**
 * `npm run bench:synth [-- --sizes 10000,100000 --load 100000 --profile | --report <results.json>]`: the synthetic-region
 * benchmark of issue #3. (a) generation rate on one core and peak RSS per size, each run in its own
 * process (also under a V8 heap cap, to show the live set stays flat); (b) generate + load a region
 * into a fresh PostgreSQL database through `yiyun synth --server` and the server's `$import`.
 * Prints a Markdown section for BENCHMARKS.md and writes the raw figures to bench/out/synth-results.json.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '@yiyun/store/testing';
import postgres from 'postgres';
import { machineLine } from '../lib/machine.ts';
import { startBenchServer } from '../lib/server.ts';
import { runChild } from './child.ts';
import { summariseProfiles } from './profile.ts';
import { type GenerationRun, type LoadRun, markdown } from './report.ts';

const GENERATE = fileURLToPath(new URL('./generate.ts', import.meta.url));
const MAIN = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));
const OUT = fileURLToPath(new URL('../out/', import.meta.url));

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    load: { type: 'string', default: '100000' },
    'heap-cap': { type: 'string', default: '128' },
    profile: { type: 'boolean', default: false },
    /** Re-renders the Markdown from a results file instead of running. */
    report: { type: 'string' },
  },
});
if (args.report) {
  console.log(markdown(JSON.parse(readFileSync(args.report, 'utf8')) as Parameters<typeof markdown>[0]));
  process.exit(0);
}
const sizes = args.sizes.split(',').filter(Boolean).map(Number);
const loadResidents = Number(args.load);
const heapCapMB = Number(args['heap-cap']);
mkdirSync(OUT, { recursive: true });

async function generation(residents: number, heapCap?: number): Promise<GenerationRun> {
  const dir = mkdtempSync(join(tmpdir(), 'yiyun-synth-bench-'));
  try {
    const node = heapCap ? [`--max-old-space-size=${heapCap}`] : [];
    const { stdout } = await runChild([...node, GENERATE, String(residents), dir]);
    return { ...(JSON.parse(stdout) as Omit<GenerationRun, 'heapCapMB'>), heapCapMB: heapCap };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function ndjsonBytes(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

async function loadRun(residents: number): Promise<LoadRun> {
  await using db = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'yiyun-synth-bench-server-'));
  const out = mkdtempSync(join(tmpdir(), 'yiyun-synth-bench-load-'));
  const profileDir = join(OUT, 'synth-profile');
  rmSync(profileDir, { recursive: true, force: true });
  try {
    const nodeArgs = args.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
    let summary: LoadRun['summary'];
    let wallSeconds: number;
    {
      await using server = await startBenchServer({ databaseUrl: db.url, dataDir, nodeArgs });
      const started = performance.now();
      const synthArgs = ['synth', '--residents', String(residents), '--seed', 'bench', '--outbreaks'];
      const { stdout } = await runChild([MAIN, ...synthArgs, '--server', server.url, '--out', out], {
        YIYUN_TOKEN: await server.token(),
      });
      wallSeconds = (performance.now() - started) / 1000;
      summary = JSON.parse(stdout) as LoadRun['summary'];
    }
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql<{ bytes: number; resources: number }[]>`
        select pg_database_size(current_database())::float8 as bytes,
               (select count(*) from resource)::float8 as resources`;
      return {
        residents,
        wallSeconds,
        uploadBytes: ndjsonBytes(out),
        databaseBytes: row?.bytes ?? 0,
        storedResources: row?.resources ?? 0,
        summary,
        profile: args.profile ? summariseProfiles(profileDir) : undefined,
      };
    } finally {
      await sql.end();
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const benchStarted = performance.now();
const generations: GenerationRun[] = [];
for (const residents of sizes) {
  for (const cap of [undefined, heapCapMB]) {
    const run = await generation(residents, cap);
    console.log(`generate ${JSON.stringify(run)}`);
    generations.push(run);
  }
}
const load = loadResidents > 0 ? await loadRun(loadResidents) : undefined;
if (load) console.log(`load ${JSON.stringify({ ...load, profile: undefined })}`);
const results = {
  date: new Date().toISOString(),
  machine: machineLine(),
  benchSeconds: (performance.now() - benchStarted) / 1000,
  generations,
  load,
};
writeFileSync(join(OUT, 'synth-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${markdown(results)}`);
console.log('raw figures written to bench/out/synth-results.json');
