/**
 * One generation run in its own process, so that its peak RSS is its own:
 * `node bench/synth/generate.ts <residents> <outDir>`. Prints one JSON line.
 */
import { rmSync } from 'node:fs';
import { generateRegion, ndjsonDirectorySink } from '@yiyun/synth';

const residents = Number(process.argv[2]);
const out = process.argv[3];
if (!Number.isInteger(residents) || residents < 1 || !out) {
  process.stderr.write('usage: node bench/synth/generate.ts <residents> <outDir>\n');
  process.exit(2);
}
const started = performance.now();
const cpuStart = process.cpuUsage();
const summary = await generateRegion(
  { seed: 'bench', asOf: '2026-06-30', residents, out, dicom: false, outbreaks: true, years: 5 },
  ndjsonDirectorySink(out),
);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);
rmSync(out, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    residents,
    resources: summary.resources,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    resourcesPerSecond: summary.resources / seconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
