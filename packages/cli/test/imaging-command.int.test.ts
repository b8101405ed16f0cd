/**
 * `yiyun imaging scrub | status | rotate-keys | lifecycle` (issue #6) as child processes on a data
 * directory whose image store the test fills in process, opened the way `yiyun serve` opens it
 * (same configuration, same platform secret): a deleted hot copy is repaired, an object with no
 * copy left makes scrub exit 1, a new master key re-wraps every data key (images still read with
 * only the new key), and lifecycle evicts hot copies.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Imaging, openImaging } from '@yiyun/server';
import { loadConfig } from '@yiyun/server/config';
import { openStore } from '@yiyun/store';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadPlatformSecrets } from '../src/serve/secrets.ts';
import { runCli, storeArgs } from './cli-process.ts';

const OBJECTS = ['1', '2', '3'].map((n) => ({
  key: `studies/1.2.826.0.1.3680043.10.8/1.2.826.0.1.3680043.10.8.1/1.2.826.0.1.3680043.10.8.1.${n}`,
  body: randomBytes(150_000 + Number(n)),
}));

/** `--data DIR [--database-url URL]` as configuration overrides. */
function overrides(args: readonly string[]) {
  const at = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  return { dataDir: at('--data'), databaseUrl: at('--database-url') };
}

/** The image store of the data directory, opened in this process as the server would. */
async function withImages(
  args: readonly string[],
  env: Record<string, string>,
  fn: (images: Imaging['images']) => Promise<void>,
): Promise<void> {
  const config = loadConfig(env, overrides(args));
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : join(config.dataDir, 'pg'),
  });
  try {
    const secrets = await loadPlatformSecrets({ dataDir: config.dataDir });
    const imaging = await openImaging({
      store,
      config,
      derivedMasterKey: secrets.imageMasterKey,
      logger: pino({ level: 'silent' }),
    });
    await fn(imaging.images).finally(() => imaging.close());
  } finally {
    await store.close();
  }
}

/** Blob files (not the root marker or temp files) under a tier's directory. */
async function blobFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('~'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function json<T>(run: { stdout: string; stderr: string }): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON: ${run.stdout}\n${run.stderr}`);
  }
}

const ring = () => `k${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64')}`;

describe('yiyun imaging', () => {
  it('scrub repairs a deleted hot copy, status reports ok, unrecoverable objects exit 1', {
    timeout: 300_000,
  }, async () => {
    await using store = await storeArgs();
    const dataDir = overrides(store.args).dataDir ?? '';
    await withImages(store.args, {}, async (images) => {
      for (const o of OBJECTS) await images.write(o.key, o.body, { study: '1.2.826.0.1.3680043.10.8' });
    });
    const hot = await blobFiles(join(dataDir, 'images', 'hot'));
    expect(hot).toHaveLength(3);
    await rm(hot[0] ?? '');

    const scrub = await runCli(['imaging', 'scrub', ...store.args]);
    expect(scrub.code, scrub.stderr).toBe(0);
    expect(json(scrub)).toMatchObject({ checked: 3, missing: 1, corrupt: 0, repaired: 1, unrecoverable: 0 });
    expect(await blobFiles(join(dataDir, 'images', 'hot'))).toHaveLength(3);

    const status = await runCli(['imaging', 'status', ...store.args]);
    expect(status.code, status.stderr).toBe(0);
    expect(json(status)).toMatchObject({ status: 'ok', objects: 3, underReplicated: 0, replicas: 2 });

    const shallow = await runCli(['imaging', 'scrub', '--shallow', ...store.args]);
    expect(json(shallow)).toMatchObject({ checked: 3, missing: 0, repaired: 0 });

    // Both copies of one object gone: nothing to repair from.
    const cold = await blobFiles(join(dataDir, 'images', 'cold'));
    const victim = (await blobFiles(join(dataDir, 'images', 'hot')))[1] ?? '';
    const name = victim.split('/').pop() ?? '';
    await rm(victim);
    await rm(cold.find((f) => f.endsWith(`/${name}`)) ?? '');
    const broken = await runCli(['imaging', 'scrub', ...store.args]);
    expect(broken.code).toBe(1);
    expect(json(broken)).toMatchObject({ checked: 3, missing: 2, unrecoverable: 1 });
    expect(broken.stderr).toContain('restore them from a backup');
  });

  it('rotate-keys re-wraps every data key under a new ring; lifecycle evicts hot copies', {
    timeout: 300_000,
  }, async () => {
    await using store = await storeArgs();
    const dataDir = overrides(store.args).dataDir ?? '';
    const oldKey = ring();
    const newKey = ring();
    await withImages(store.args, { YIYUN_IMAGE_KEYS: oldKey }, async (images) => {
      for (const o of OBJECTS) await images.write(o.key, o.body, { study: '1.2.826.0.1.3680043.10.8' });
    });
    const env = { YIYUN_IMAGE_KEYS: `${newKey},${oldKey}` };
    const rotated = await runCli(['imaging', 'rotate-keys', ...store.args], { env });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(json(rotated)).toEqual({ rewrapped: 3, failed: 0, masterKey: newKey.split(':')[0] });
    const again = await runCli(['imaging', 'rotate-keys', ...store.args], { env });
    expect(json(again)).toMatchObject({ rewrapped: 0, failed: 0 });

    const moved = await runCli(
      ['imaging', 'lifecycle', '--older-than-days', '0', '--idle-days', '0', ...store.args],
      { env },
    );
    expect(moved.code, moved.stderr).toBe(0);
    expect(json(moved)).toMatchObject({ studies: 1, moved: 3, skipped: 0 });
    expect(await blobFiles(join(dataDir, 'images', 'hot'))).toHaveLength(0);

    // The retired key is dropped from the ring: every image still reads (from the cold tier).
    await withImages(store.args, { YIYUN_IMAGE_KEYS: newKey }, async (images) => {
      for (const o of OBJECTS) expect(Buffer.from(await images.read(o.key)).equals(o.body)).toBe(true);
    });
  });

  it('rejects a bad --idle-days with exit code 2', async () => {
    await using store = await storeArgs();
    const run = await runCli(['imaging', 'lifecycle', '--idle-days', 'soon', ...store.args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--idle-days must be a whole number of days');
  });
});
