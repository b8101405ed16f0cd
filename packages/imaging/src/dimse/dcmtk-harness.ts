/**
 * Test support for the DIMSE integration tests (not used by production code): Debian's dcmtk tools,
 * run unmodified, and a storescp as a C-MOVE destination. All traffic stays on 127.0.0.1.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ToolResult {
  readonly code: number;
  /** stdout and stderr together: dcmtk logs to stderr. */
  readonly output: string;
  readonly ms: number;
}

/**
 * dcmtk disables Nagle's algorithm only when TCP_NODELAY=1 is set (its documented runtime switch);
 * without it every C-STORE a dcmtk SCU sends waits ~40 ms for our delayed ACK, whatever we do.
 */
const DCMTK_ENV = { ...process.env, TCP_NODELAY: '1' };

export function runTool(
  tool: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = DCMTK_ENV,
): Promise<ToolResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(tool, args, { env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const ms = performance.now() - started;
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error(`${tool} not found: install dcmtk (apt-get install -y dcmtk)`));
        return;
      }
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}`, ms });
    });
  });
}

async function hasDcmtk(): Promise<boolean> {
  try {
    await runTool('echoscu', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** dcmtk or a failure naming the command that installs it (never a skip). */
export async function ensureDcmtk(): Promise<void> {
  if (await hasDcmtk()) return;
  if (process.getuid?.() === 0) {
    await runTool('apt-get', ['install', '-y', 'dcmtk'], process.env).catch(() => undefined);
    if (await hasDcmtk()) return;
  }
  throw new Error('dcmtk is missing and could not be installed: run `apt-get install -y dcmtk`');
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`storescp exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`storescp did not listen on ${port}`);
}

export interface StoreScp extends AsyncDisposable {
  readonly aeTitle: string;
  readonly port: number;
  /** Where it writes what it receives, bit-preserving (`+B`: the dataset exactly as read). */
  readonly dir: string;
}

/** A storescp on a free port, stopped by its PID on dispose. */
export async function startStoreScp(aeTitle: string): Promise<StoreScp> {
  const dir = await mkdtemp(join(tmpdir(), 'yiyun-storescp-'));
  const port = await freePort();
  const child = spawn('storescp', ['--aetitle', aeTitle, '+B', '--output-directory', dir, String(port)], {
    env: DCMTK_ENV,
    stdio: 'ignore',
  });
  await waitForPort(port, child);
  return {
    aeTitle,
    port,
    dir,
    async [Symbol.asyncDispose]() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The attribute lines of dcmtk's response dumps: `(0010,0020) LO [1CT1]` → value by tag. */
export function dumpedResponses(output: string): Map<string, string>[] {
  const responses: Map<string, string>[] = [];
  let current: Map<string, string> | undefined;
  for (const line of output.split('\n')) {
    if (/Find Response: \d+ \(Pending\)/.test(line)) {
      current = new Map();
      responses.push(current);
      continue;
    }
    const m = /\(([0-9a-f]{4}),([0-9a-f]{4})\) [A-Z]{2} (?:\[(.*?)\]|\(no value available\)|=(\S+))/.exec(
      line,
    );
    // dcmdump shows UI values with their NUL padding.
    if (current && m)
      current.set(`${m[1]}${m[2]}`.toUpperCase(), (m[3] ?? m[4] ?? '').replace(/\0/g, '').trim());
  }
  return responses;
}
