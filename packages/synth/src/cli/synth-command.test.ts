import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeFor, synthCommand } from './synth-command.ts';

async function exitCode(args: string[]): Promise<{ code: number; message: string }> {
  let message = '';
  const append = (s: string) => {
    message += s;
    return true;
  };
  const sink = { write: append } as unknown as NodeJS.WritableStream;
  const cmd = synthCommand().configureOutput({ writeErr: append, writeOut: () => undefined });
  try {
    await cmd.parseAsync(args, { from: 'user' });
    return { code: 0, message };
  } catch (err) {
    return { code: exitCodeFor(err, sink), message };
  }
}

describe('synth command options', () => {
  it.each([
    [['--residents', '-5'], /--residents/],
    [['--residents', '2.5'], /positive integer/],
    [['--years', '0'], /--years/],
    [['--as-of', '2026-02-30'], /--as-of/],
    [['--frobnicate'], /unknown option/],
    [['--residents', '3', '--server', 'ftp://somewhere'], /--server .*ftp:\/\/somewhere/],
    [['--residents', '3', '--server', 'localhost:8080'], /"localhost:8080"/],
  ])('rejects %j with exit code 2 and a clear message', async (args, pattern) => {
    const { code, message } = await exitCode(args);
    expect(code).toBe(2);
    expect(message).toMatch(pattern);
  });

  it('rejects an unwritable output directory with exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yiyun-synth-cli-'));
    try {
      const file = join(dir, 'a-file');
      writeFileSync(file, 'x');
      const { code, message } = await exitCode(['--residents', '3', '--out', join(file, 'out')]);
      expect(code).toBe(2);
      expect(message).toMatch(/not writable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints help with exit code 0', async () => {
    expect((await exitCode(['--help'])).code).toBe(0);
  });
});
