import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface ServerProcess extends AsyncDisposable {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** An access token of the bootstrap platform client (client credentials, `system/*.cruds`). */
  token(): Promise<string>;
  /** `fetch` of a path on the server with that token. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** The platform client every test server registers (YIYUN_BOOTSTRAP_CLIENT). */
export const TEST_CLIENT = { id: 'test-platform', secret: randomBytes(32).toString('base64url') };

async function clientCredentialsToken(url: string): Promise<string> {
  const res = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${TEST_CLIENT.id}:${TEST_CLIENT.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.cruds' }),
  });
  if (!res.ok) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Starts `yiyun serve` as a real child process and waits until /readyz answers. */
export async function startServerProcess(
  args: string[],
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', String(port), ...args], {
    // No demo region unless a test asks for one (`--demo-residents N` overrides the environment).
    env: {
      ...process.env,
      YIYUN_LOG_LEVEL: 'warn',
      YIYUN_DICOM_PORT: '0',
      YIYUN_DEMO_RESIDENTS: '0',
      YIYUN_BOOTSTRAP_CLIENT: `${TEST_CLIENT.id}:${TEST_CLIENT.secret}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${output}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      // Never leave a half-started server behind a failed test.
      child.kill('SIGKILL');
      throw new Error(`server not ready: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  let token: Promise<string> | undefined;
  const getToken = () => {
    token ??= clientCredentialsToken(url);
    return token;
  };
  return {
    url,
    child,
    output: () => output,
    token: getToken,
    async fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${await getToken()}`);
      return fetch(`${url}${path}`, { ...init, headers });
    },
    [Symbol.asyncDispose]: () => stopProcess(child),
  };
}

/** SIGTERM, then waits for the exit (SIGKILL after 10 s): the data directory is free afterwards. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
}
