/**
 * `yiyun mpi train` and `yiyun mpi relink` (issue #5) as child processes: a generated region is
 * imported offline (`yiyun import` queues its Patients), training links the queue first, learns the
 * model by EM and stores it; relink re-decides every link with it. Bad flags exit with code 2.
 */
import { describe, expect, it } from 'vitest';
import { runCli, storeArgs, tempDir } from './cli-process.ts';

describe('yiyun mpi', () => {
  it('links imported records, trains the model and re-links with it', { timeout: 300_000 }, async () => {
    await using out = await tempDir();
    await using store = await storeArgs();
    const synth = await runCli([
      'synth',
      '--residents',
      '400',
      '--years',
      '1',
      '--seed',
      'mpi-cli',
      '--out',
      out.path,
    ]);
    expect(synth.code, synth.stderr).toBe(0);
    const imported = await runCli(['import', out.path, ...store.args], { timeoutMs: 200_000 });
    expect(imported.code, imported.stderr).toBe(0);

    const train = await runCli(['mpi', 'train', ...store.args], { timeoutMs: 200_000 });
    expect(train.code, train.stderr).toBe(0);
    expect(train.stdout).toMatch(/Linked \d+ records/);
    const records = Number(/Trained on (\d+) records/.exec(train.stdout)?.[1]);
    expect(records).toBeGreaterThan(250); // residents plus their duplicate registrations
    expect(train.stdout).toMatch(/model em:\d+:\d+:/);
    expect(train.stdout).toMatch(/residentId +m 0\.\d+/);

    const relink = await runCli(['mpi', 'relink', ...store.args], { timeoutMs: 200_000 });
    expect(relink.code, relink.stderr).toBe(0);
    expect(relink.stdout).toContain(`Re-linking ${records} Patient records with model em:`);
    expect(relink.stdout).toMatch(new RegExp(`Linked ${records} records`));
  });

  it('rejects a bad --fraction with exit code 2 and a clear message', async () => {
    await using store = await storeArgs();
    const run = await runCli(['mpi', 'train', '--fraction', '2', ...store.args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--fraction must be a number in (0, 1]');
  });
});
