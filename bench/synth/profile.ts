/** Summarises V8 `.cpuprofile` files (from `--cpu-prof`): self time by function and by code area. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
}

export interface ProfileSummary {
  readonly file: string;
  readonly seconds: number;
  readonly busySeconds: number;
  readonly topFunctions: readonly { name: string; seconds: number }[];
  readonly areas: readonly { area: string; seconds: number }[];
}

/** `packages/store/…` → `store`, `node_modules/@medplum/core/…` → `@medplum/core`, node internals → `node`. */
function areaOf(url: string): string {
  const pkg = /\/packages\/([^/]+)\//.exec(url);
  if (pkg) return `yiyun ${pkg[1]}`;
  const mod = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (mod) return mod[1] ?? 'node_modules';
  if (url.startsWith('node:') || url === '') return 'node / V8';
  return 'other';
}

function summarise(file: string, profile: CpuProfile, top: number): ProfileSummary {
  const total = profile.samples?.length ?? profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0);
  const secondsPerSample = (profile.endTime - profile.startTime) / 1e6 / Math.max(1, total);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let idle = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') idle += hits;
    const where = url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    const area = functionName.startsWith('(') ? functionName : areaOf(url);
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
  }
  const ranked = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => ({ k, seconds: v * secondsPerSample }));
  return {
    file,
    seconds: total * secondsPerSample,
    busySeconds: (total - idle) * secondsPerSample,
    topFunctions: ranked(byFunction)
      .slice(0, top)
      .map((r) => ({ name: r.k, seconds: r.seconds })),
    areas: ranked(byArea)
      .slice(0, top)
      .map((r) => ({ area: r.k, seconds: r.seconds })),
  };
}

/** Every `.cpuprofile` in `dir` (one per thread: the server's main thread and its import workers). */
export function summariseProfiles(dir: string, top = 12): ProfileSummary[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .map((f) => summarise(f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile, top));
}
