/** The Markdown section for BENCHMARKS.md. */
import type { ProfileSummary } from './profile.ts';

export interface GenerationRun {
  readonly residents: number;
  readonly resources: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly resourcesPerSecond: number;
  readonly peakRssMB: number;
  readonly heapCapMB: number | undefined;
}

export interface LoadRun {
  readonly residents: number;
  readonly wallSeconds: number;
  readonly uploadBytes: number;
  readonly databaseBytes: number;
  readonly storedResources: number;
  readonly summary: {
    readonly resources: number;
    readonly generateSeconds: number;
    readonly created: number;
    readonly updated: number;
    readonly failed: number;
    readonly load: { readonly uploadSeconds: number; readonly importSeconds: number };
  };
  readonly profile: readonly ProfileSummary[] | undefined;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US').replaceAll(',', ' ');
const s1 = (n: number) => n.toFixed(1);

const GENERATION_TARGET = 50_000;
const LOAD_TARGET_SECONDS = 600;

function generationTable(runs: readonly GenerationRun[]): string[] {
  const sizes = [...new Set(runs.map((r) => r.residents))];
  const lines = [
    '| residents | resources | wall s | resources/s (wall) | CPU s | resources per CPU-second | peak RSS | peak RSS, heap capped (wall s) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const residents of sizes) {
    const free = runs.find((r) => r.residents === residents && r.heapCapMB === undefined);
    const capped = runs.find((r) => r.residents === residents && r.heapCapMB !== undefined);
    if (!free) continue;
    const cap = capped
      ? `${int(capped.peakRssMB)} MB with \`--max-old-space-size=${capped.heapCapMB}\` (${s1(capped.seconds)} s)`
      : '–';
    const perCpu = free.resources / free.cpuSeconds;
    lines.push(
      `| ${int(residents)} | ${int(free.resources)} | ${s1(free.seconds)} | ${int(free.resourcesPerSecond)} | ${s1(free.cpuSeconds)} | ${int(perCpu)} | ${int(free.peakRssMB)} MB | ${cap} |`,
    );
  }
  return lines;
}

function loadSection(load: LoadRun): string[] {
  const { summary } = load;
  const loaded = summary.created + summary.updated;
  const importPerSecond = loaded / summary.load.importSeconds;
  const met = load.wallSeconds < LOAD_TARGET_SECONDS ? 'met' : 'missed';
  return [
    '',
    `Generate + load ${int(load.residents)} residents into PostgreSQL through \`$import\` end to end ` +
      '(`yiyun synth --server` against `yiyun serve --database-url … --demo-residents 0`, fresh database, ' +
      'both processes on this machine):',
    '',
    '| phase | seconds | notes |',
    '|---|---|---|',
    `| generate | ${s1(summary.generateSeconds)} | ${int(summary.resources)} resources to NDJSON on disk (${int(summary.resources / summary.generateSeconds)}/s) |`,
    `| upload | ${s1(summary.load.uploadSeconds)} | ${s1(load.uploadBytes / 1e9)} GB streamed to \`/bulk/uploads\` |`,
    `| \`$import\` job | ${s1(summary.load.importSeconds)} | ${int(importPerSecond)} resources/s (validate, index, COPY) |`,
    `| **end to end** | **${s1(load.wallSeconds)}** | **${int(loaded / load.wallSeconds)} resources/s**; target < 600 s: ${met} |`,
    '',
    `Created ${int(summary.created)}, updated ${int(summary.updated)}, rejected ${int(summary.failed)}; ` +
      `${int(load.storedResources)} rows in \`resource\`; database size (\`pg_database_size\`) ` +
      `${s1(load.databaseBytes / 1e9)} GB (${int(load.databaseBytes / Math.max(1, load.storedResources))} bytes per resource).`,
  ];
}

function profileSection(profiles: readonly ProfileSummary[]): string[] {
  const [main, ...workers] = profiles;
  if (!main) return [];
  const areas = new Map<string, number>();
  for (const w of workers)
    for (const a of w.areas) if (a.area !== '(idle)') areas.set(a.area, (areas.get(a.area) ?? 0) + a.seconds);
  const busy = workers.reduce((n, w) => n + w.busySeconds, 0);
  const total = workers.reduce((n, w) => n + w.seconds, 0);
  const ranked = [...areas.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
  return [
    '',
    'Server CPU profile during the load (`--cpu-prof`, self time):',
    `- main thread (HTTP, reading uploads, COPY to PostgreSQL): busy ${s1(main.busySeconds)} of ${s1(main.seconds)} s ` +
      `(${Math.round((100 * main.busySeconds) / main.seconds)} %)`,
    `- ${workers.length} import worker threads (two per input file; parse, validate, index, COPY text): busy ` +
      `${s1(busy)} of ${s1(total)} thread-seconds (${Math.round((100 * busy) / Math.max(1, total))} %) — ` +
      ranked.map(([area, sec]) => `${area} ${s1(sec)} s`).join(', '),
  ];
}

export function markdown(results: {
  readonly date: string;
  readonly machine: string;
  readonly generations: readonly GenerationRun[];
  readonly load: LoadRun | undefined;
}): string {
  // Per CPU-second: on a shared 2-core machine the wall clock also counts time the run waited for a core.
  const slowest = Math.min(...results.generations.map((g) => g.resources / g.cpuSeconds));
  const slowestWall = Math.min(...results.generations.map((g) => g.resourcesPerSecond));
  const lines = [
    '## Synthetic region (`npm run bench:synth`, issue #3)',
    '',
    `${results.machine}; ${results.date.slice(0, 10)}. Generation on one core (single thread), ` +
      'each run in its own process so that peak RSS is per run; seed `bench`, 5 years, outbreaks on.',
    '',
    ...generationTable(results.generations),
    '',
    `Slowest run (heap-capped runs included) ${int(slowest)} resources per CPU-second (${int(slowestWall)}/s by the wall clock); ` +
      `target ≥ ${int(GENERATION_TARGET)}/s on one core: ${slowest >= GENERATION_TARGET ? 'met' : 'missed'}.`,
  ];
  if (results.load) lines.push(...loadSection(results.load));
  if (results.load?.profile) lines.push(...profileSection(results.load.profile));
  return `${lines.join('\n')}\n`;
}
