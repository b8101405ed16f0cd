import { spawn } from 'node:child_process';

/** Runs `node <args>` with stderr shown; resolves with stdout, rejects on a non-zero exit. */
export async function runChild(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string }> {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  process.off('exit', kill);
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}`);
  return { stdout };
}
