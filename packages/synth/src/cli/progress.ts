import cliProgress from 'cli-progress';

export type Stage = 'generate' | 'upload' | 'import';

const UNITS: Readonly<Record<Stage, string>> = {
  generate: 'residents',
  upload: 'MB',
  import: 'resources',
};

/** Progress of a synth run, one stage after another. */
export interface StageProgress {
  /** Shows `done` of `total` for `stage`, starting that stage's bar if it is not the current one. */
  update(stage: Stage, done: number, total: number): void;
  stop(): void;
}

/**
 * One cli-progress bar per stage on `stream` (stderr: stdout carries the JSON summary). On a
 * terminal the bar redraws in place; elsewhere (CI logs, pipes) it prints a plain line every few seconds.
 */
export function createStageProgress(stream: NodeJS.WriteStream = process.stderr): StageProgress {
  let current: { stage: Stage; bar: cliProgress.SingleBar; started: number } | undefined;
  const stop = () => {
    current?.bar.stop();
    current = undefined;
  };
  const start = (stage: Stage, total: number) => {
    stop();
    const bar = new cliProgress.SingleBar(
      {
        format: `${stage.padEnd(8)} [{bar}] {percentage}% | {value}/{total} ${UNITS[stage]} | {rate}/s`,
        stream,
        hideCursor: stream.isTTY === true,
        noTTYOutput: true,
        notTTYSchedule: 5_000,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(1, total), 0, { rate: 0 });
    current = { stage, bar, started: performance.now() };
    return current;
  };
  return {
    update(stage, done, total) {
      const run = current?.stage === stage ? current : start(stage, total);
      const seconds = Math.max(0.001, (performance.now() - run.started) / 1000);
      run.bar.setTotal(Math.max(1, total));
      run.bar.update(Math.min(done, Math.max(1, total)), { rate: Math.round(done / seconds) });
    },
    stop,
  };
}
