import cliProgress from 'cli-progress';
import type { DemoImagesProgressReporter } from './demo-images.ts';
import type { DemoProgressReporter } from './ensure-demo.ts';
import type { DemoLoadProgress } from './load-demo.ts';

/** Resources per resident in the default region (measured: 84 190 for 2 000), until the real ratio shows. */
const RESOURCES_PER_RESIDENT = 42;

/**
 * How many resources the load will write: exact once generation is done, before that extrapolated
 * from what was generated so far. Never below what is already loaded.
 */
export function estimateTotalResources(p: DemoLoadProgress): number {
  if (p.generationDone) return p.resourcesGenerated;
  const perResident =
    p.residentsGenerated > 0 ? p.resourcesGenerated / p.residentsGenerated : RESOURCES_PER_RESIDENT;
  return Math.max(p.resourcesLoaded, p.resourcesGenerated, Math.round(perResident * p.residents));
}

/**
 * A progress bar on `stream` (stderr: stdout stays for the banner). On a terminal it redraws in
 * place; elsewhere (CI logs, `npm start > log`) it prints a plain line every few seconds.
 */
export function createDemoProgressBar(
  residents: number,
  stream: NodeJS.WriteStream = process.stderr,
): DemoProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      format:
        'demo region [{bar}] {percentage}% | {value}/{approx}{total} resources loaded | ' +
        '{generated}/{residents} residents generated | {rate}/s',
      stream,
      hideCursor: stream.isTTY === true,
      noTTYOutput: true,
      notTTYSchedule: 5_000,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  const payload = (p: DemoLoadProgress) => ({
    approx: p.generationDone ? '' : '~',
    generated: p.residentsGenerated,
    residents: p.residents,
    rate: Math.round(p.resourcesLoaded / Math.max(0.001, (performance.now() - started) / 1000)),
  });
  const initial = { residents, residentsGenerated: 0, resourcesGenerated: 0, resourcesLoaded: 0 };
  bar.start(
    estimateTotalResources({ ...initial, generationDone: false }),
    0,
    payload({ ...initial, generationDone: false }),
  );
  let stopped = false;
  return {
    update(p) {
      if (stopped) return;
      bar.setTotal(estimateTotalResources(p));
      bar.update(p.resourcesLoaded, payload(p));
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

/** The demo images' bar: studies sent to the PACS (same stream rules as the region's). */
export function createDemoImagesProgressBar(
  studies: number,
  stream: NodeJS.WriteStream = process.stderr,
): DemoImagesProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      format: 'demo images [{bar}] {percentage}% | {value}/{total} studies stored | {rate}/s',
      stream,
      hideCursor: stream.isTTY === true,
      noTTYOutput: true,
      notTTYSchedule: 5_000,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  const rate = (done: number) => Math.round(done / Math.max(0.001, (performance.now() - started) / 1000));
  bar.start(studies, 0, { rate: 0 });
  let stopped = false;
  return {
    update(done) {
      if (!stopped) bar.update(done, { rate: rate(done) });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
