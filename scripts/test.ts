/**
 * `npm test`: unit tests, then the integration suites once on the embedded PGlite store and once on
 * the PostgreSQL server (127.0.0.1:5432, or YIYUN_TEST_PG_URL). A missing PostgreSQL is an error
 * naming the command that starts it, never a silent skip.
 */
import { spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';

function run(label: string, args: string[], env: Record<string, string> = {}): void {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(process.execPath, [vitest, 'run', ...args], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    console.error(`\n${label} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** The e2e suites drive the built app: build it (Vite) when it is missing or stale, as `npm start` does. */
function buildWeb(): void {
  console.log('\n=== the web app ===');
  const script = new URL('./build-web.ts', import.meta.url).pathname;
  const result = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('\nThe web app did not build.');
    process.exit(result.status ?? 1);
  }
}

const vitest = new URL('../node_modules/vitest/vitest.mjs', import.meta.url).pathname;
const only = process.argv[2];

if (!only || only === 'unit') run('unit tests', ['--project', 'unit']);
if (!only || only === 'io') run('I/O tests (object storage, DICOM tools)', ['--project', 'io']);
if (!only || only === 'e2e') {
  buildWeb();
  run('end-to-end tests (web app in Chromium)', ['--project', 'e2e']);
}
// The integration files wait on databases and child processes more than they compute: two at a time
// even on a two-core machine (measured: PGlite pass 482 → 317 s with the template, PostgreSQL 347 → 169 s).
const integration = ['--project', 'integration', '--maxWorkers=2'];
if (!only || only === 'pglite')
  run('integration tests on PGlite', integration, { YIYUN_TEST_STORE: 'pglite' });
if (!only || only === 'postgres') {
  const url = new URL(process.env['YIYUN_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432');
  if (!(await canConnect(url.hostname, Number(url.port || 5432)))) {
    console.error(
      `PostgreSQL is not reachable at ${url.host}. Start it (Debian: ` +
        "'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start', or install it with " +
        "'apt-get install -y postgresql') or point YIYUN_TEST_PG_URL at a server with trust auth.",
    );
    process.exit(1);
  }
  run('integration tests on PostgreSQL', integration, { YIYUN_TEST_STORE: 'postgres' });
}
console.log('\nAll test suites passed.');
