/**
 * `yiyun synth --server <url>` loads a generated region into a running server through Bulk Data
 * `$import` (issue #3, scope item 1), as real child processes: `yiyun serve` on the store named by
 * YIYUN_TEST_STORE (embedded PGlite in a fresh data directory, or a fresh PostgreSQL database), and
 * `yiyun synth` beside it.
 */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { runCli, storeArgs, tempDir } from './cli-process.ts';
import { freePort, type ServerProcess, startServerProcess } from './server-process.ts';

const RESIDENTS = 100;

/** Runs `yiyun synth …` to its end. */
const synth = (args: string[], env: Record<string, string> = {}) => runCli(['synth', ...args], { env });

interface RecordingProxy extends AsyncDisposable {
  readonly url: string;
  /** Method, path and Authorization header of every request passed on. */
  readonly seen: { method: string; path: string; authorization: string | undefined }[];
  target: string;
}

/**
 * A pass-through HTTP proxy that records what the client sends. The server is told the proxy is its
 * public URL (YIYUN_BASE_URL), so that the upload and status URLs it hands out lead back through here.
 */
async function recordingProxy(): Promise<RecordingProxy> {
  const proxy: Omit<RecordingProxy, 'url' | typeof Symbol.asyncDispose> = { seen: [], target: '' };
  const server = createServer((req, res) => {
    proxy.seen.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
    });
    const upstream = request(new URL(req.url ?? '/', proxy.target), {
      method: req.method,
      headers: req.headers,
    });
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  });
}

async function count(server: ServerProcess, query: string): Promise<number> {
  const bundle = (await (await server.fetch(`/fhir/R4/${query}`)).json()) as Bundle;
  return bundle.total ?? -1;
}

async function lineCount(path: string): Promise<number> {
  return (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim() !== '').length;
}

interface Summary {
  resources: number;
  resourcesByType: Record<string, number>;
  created: number;
  updated: number;
  failed: number;
  resourcesPerSecond: number;
  load: { server: string; uploadSeconds: number; importSeconds: number };
}

describe('yiyun synth --server', () => {
  it('generates a region and loads all of it into the server through $import', async () => {
    await using store = await storeArgs();
    await using proxy = await recordingProxy();
    await using server = await startServerProcess(store.args, { YIYUN_BASE_URL: proxy.url });
    proxy.target = server.url;
    await using out = await tempDir();
    const token = await server.token();
    const run = await synth(['--residents', String(RESIDENTS), '--server', proxy.url, '--out', out.path], {
      YIYUN_TOKEN: token,
    });
    expect(run.stderr).not.toMatch(/yiyun synth:/);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary.load.server).toBe(proxy.url);
    // Every request carried the token: uploads, the kick-off and each status poll.
    const paths = proxy.seen.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, ':id')}`);
    expect(paths.filter((p) => p === 'POST /bulk/uploads')).toHaveLength(
      Object.keys(summary.resourcesByType).length,
    );
    expect(paths).toContain('POST /fhir/R4/$import');
    expect(paths).toContain('GET /bulk/status/:id');
    expect(proxy.seen.every((r) => r.authorization === `Bearer ${token}`)).toBe(true);
    expect(summary.resources).toBeGreaterThan(RESIDENTS * 20);
    expect(summary.created).toBe(summary.resources);
    expect(summary.updated).toBe(0);
    expect(summary.failed).toBe(0);
    expect(summary.resourcesPerSecond).toBeGreaterThan(0);

    const patientLines = await lineCount(join(out.path, 'Patient.ndjson'));
    expect(patientLines).toBe(summary.resourcesByType['Patient']);
    expect(await count(server, 'Patient?_summary=count')).toBe(patientLines);
    const encounterLines = await lineCount(join(out.path, 'Encounter.ndjson'));
    expect(await count(server, 'Encounter?_summary=count')).toBe(encounterLines);
  });

  it('refuses a malformed --server URL with exit code 2, naming it', async () => {
    const run = await synth(['--residents', '5', '--server', 'localhost:8080/fhir']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"localhost:8080/fhir"');
    expect(run.stdout).toBe('');
  });

  it('reports an unreachable server with exit code 2, naming its URL', async () => {
    await using out = await tempDir();
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await synth(['--residents', '5', '--server', url, '--out', out.path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot reach the server at ${url}`);
  });

  it('says the server refused the token (exit code 2) when none or a bad one is given', async () => {
    await using store = await storeArgs();
    await using server = await startServerProcess(store.args);
    await using out = await tempDir();
    const run = await synth(['--residents', '5', '--server', server.url, '--out', out.path], {
      YIYUN_TOKEN: 'not-a-token',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HTTP 401');
  });

  it("shows the server's OperationOutcome diagnostics when it refuses an upload (exit code 2)", async () => {
    await using store = await storeArgs();
    await using server = await startServerProcess(store.args, { YIYUN_MAX_UPLOAD_BYTES: '1024' });
    await using out = await tempDir();
    const run = await synth(['--residents', '5', '--server', server.url, '--out', out.path], {
      YIYUN_TOKEN: await server.token(),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HTTP 413: Upload exceeds 1024 bytes');
  });
});
