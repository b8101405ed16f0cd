import { randomBytes } from 'node:crypto';
import type { Dir } from 'node:fs';
import { type FileHandle, open, opendir, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { AppError } from '@yiyun/fhir';
import {
  createDurable,
  DirSyncer,
  fsyncPath,
  makeDirDurable,
  publish,
  tempNameFor,
  writeDurable,
} from './fs-durable.ts';
import { assertValidPrefix, decodeSegment, encodeSegment, isReservedName, keyToRelativePath } from './key.ts';
import {
  type BlobHealth,
  BlobNotFoundError,
  type BlobStore,
  BlobUnavailableError,
  type ByteRange,
} from './port.ts';
import { assertValidRange } from './range.ts';

export interface FsBlobStoreOptions {
  readonly name: string;
  /** Directory holding the objects; created on first use. */
  readonly root: string;
}

/**
 * Written at the root on first use. If it disappears (disk unmounted, directory removed) the store
 * reports itself unavailable instead of answering "not found" for every key — the difference
 * between failing over and losing data.
 */
const ROOT_MARKER = '~yiyun-blob-root';

/** A key that collides with a directory or file already used by other keys (`a` vs `a/b`). */
const CONFLICT_CODES = new Set(['EISDIR', 'EEXIST', 'ENOTDIR']);

/**
 * Objects as files under one root directory: `studies/1.2.3/4.5.6` → `<root>/studies/1.2.3/4.5.6`.
 * Puts are durable before they resolve. A put over an existing object is atomic (temp file,
 * fdatasync, rename, directory fsync): a crash leaves the old object or the new one, never a torn
 * one. A put of a new key creates the file in place and flushes it and its directory entry together
 * (no temp file, no rename: one journal commit less per put); until
 * it resolves, and after a crash before that, the key may hold part of the bytes — a key nobody
 * was told is stored, which the image store never reads (it lists a blob only after its put).
 */
export class FsBlobStore implements BlobStore {
  readonly name: string;
  readonly root: string;
  readonly #dirs = new DirSyncer();
  #ready: Promise<void> | undefined;

  constructor(options: FsBlobStoreOptions) {
    this.name = options.name;
    this.root = resolve(options.root);
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const path = this.#pathOf(key);
    await this.#ensureRoot();
    try {
      const syncDir = () => this.#dirs.sync(dirname(path));
      if (await this.#inDirectory(path, () => createDurable(path, body, syncDir))) return;
      const temp = tempNameFor(path);
      await this.#inDirectory(temp, () => writeDurable(temp, body));
      await publish(temp, path);
      await this.#dirs.sync(dirname(path));
    } catch (err) {
      if (CONFLICT_CODES.has(errnoOf(err) ?? '')) await this.#assertRootPresent();
      throw this.#failure(err, `put ${key}`);
    }
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const path = this.#pathOf(key);
    if (range !== undefined) assertValidRange(range);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      return this.#missing(err, key);
    }
    try {
      return range === undefined ? await readWhole(handle) : await readRange(handle, range);
    } catch (err) {
      if (errnoOf(err) === 'EISDIR') throw new BlobNotFoundError(this.name, key);
      throw this.#failure(err, `get ${key}`);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  async has(key: string): Promise<boolean> {
    const path = this.#pathOf(key);
    try {
      return (await stat(path)).isFile();
    } catch (err) {
      await this.#missing(err, key).catch((e: unknown) => {
        if (!(e instanceof BlobNotFoundError)) throw e;
      });
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.#pathOf(key);
    try {
      await unlink(path);
    } catch (err) {
      await this.#missing(err, key).catch((e: unknown) => {
        if (!(e instanceof BlobNotFoundError)) throw e;
      });
      return;
    }
    await this.#pruneEmptyDirs(dirname(path));
  }

  async *list(prefix = ''): AsyncIterable<string> {
    assertValidPrefix(prefix);
    const cut = prefix.lastIndexOf('/');
    const dirKey = cut < 0 ? '' : prefix.slice(0, cut);
    const start = dirKey === '' ? this.root : join(this.root, ...dirKey.split('/').map(encodeSegment));
    await this.#assertRootPresent();
    for await (const key of this.#walk(start, dirKey)) {
      if (key.startsWith(prefix)) yield key;
    }
  }

  async check(): Promise<BlobHealth> {
    try {
      await this.#assertRootPresent();
      const probe = join(this.root, `~probe-${randomBytes(6).toString('hex')}`);
      await writeFile(probe, 'ok');
      await unlink(probe);
      return { name: this.name, ok: true };
    } catch (err) {
      const detail =
        err instanceof BlobUnavailableError ? err.message : `root not writable (${errnoOf(err) ?? 'error'})`;
      return { name: this.name, ok: false, detail };
    }
  }

  /** Nothing to release; present so every backend can be disposed the same way. */
  async close(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** The file path of a key (validated); exposed for tests and for operators' tooling. */
  pathOf(key: string): string {
    return this.#pathOf(key);
  }

  #pathOf(key: string): string {
    return join(this.root, keyToRelativePath(key));
  }

  /** Runs a write of `file`, creating missing directories (a study's first object, or after eviction). */
  async #inDirectory<T>(file: string, write: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT' || attempt >= 3) throw err;
        await this.#assertRootPresent();
        // A concurrent delete may prune the directory between mkdir and open: retry a few times.
        await makeDirDurable(dirname(file));
      }
    }
  }

  /** Creates the root and its marker once; retried after a failure so the store recovers. */
  #ensureRoot(): Promise<void> {
    this.#ready ??= this.#initRoot().catch((err: unknown) => {
      this.#ready = undefined;
      throw new BlobUnavailableError(this.name, `cannot initialise root (${errnoOf(err) ?? 'error'})`, {
        cause: err,
      });
    });
    return this.#ready;
  }

  async #initRoot(): Promise<void> {
    const marker = join(this.root, ROOT_MARKER);
    if (await exists(marker)) return;
    await makeDirDurable(this.root);
    const temp = tempNameFor(marker);
    await writeDurable(temp, Buffer.from('yiyun blob store root\n'));
    await publish(temp, marker);
    await fsyncPath(this.root);
  }

  /** The root is initialised (first use) and still there (not removed or unmounted since). */
  async #assertRootPresent(): Promise<void> {
    await this.#ensureRoot();
    let present: boolean;
    try {
      present = await exists(join(this.root, ROOT_MARKER));
    } catch (err) {
      // ENOTDIR: the root path is a file; EACCES, EIO …: the disk cannot answer.
      throw new BlobUnavailableError(this.name, `cannot probe root (${errnoOf(err) ?? 'error'})`, {
        cause: err,
      });
    }
    if (!present) throw new BlobUnavailableError(this.name, 'root is missing or not mounted');
  }

  /** After ENOENT/ENOTDIR on a key: not found if the root is there, else the disk is gone. */
  async #missing(err: unknown, key: string): Promise<never> {
    const code = errnoOf(err);
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR') throw this.#failure(err, key);
    await this.#assertRootPresent();
    throw new BlobNotFoundError(this.name, key);
  }

  #failure(err: unknown, what: string): Error {
    if (err instanceof BlobUnavailableError || err instanceof BlobNotFoundError || err instanceof AppError)
      return err;
    const code = errnoOf(err);
    if (code === undefined) return err instanceof Error ? err : new Error(String(err));
    if (CONFLICT_CODES.has(code)) {
      return new AppError('conflict', `Blob key collides with another key's directory: ${what}`, {
        cause: err,
      });
    }
    // EIO, EACCES, EPERM, ENOSPC, EROFS, EDQUOT, EMFILE …: the disk cannot serve us; fail over.
    return new BlobUnavailableError(this.name, `${what} failed (${code})`, { cause: err });
  }

  async #pruneEmptyDirs(dir: string): Promise<void> {
    for (let d = dir; d !== this.root && d.startsWith(this.root + sep); d = dirname(d)) {
      try {
        await rmdir(d);
      } catch {
        return; // not empty (the usual case), or already gone
      }
    }
  }

  async *#walk(dir: string, dirKey: string): AsyncGenerator<string> {
    let handle: Dir;
    try {
      handle = await opendir(dir);
    } catch (err) {
      const code = errnoOf(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw this.#failure(err, 'list');
    }
    for await (const entry of handle) {
      if (isReservedName(entry.name)) continue;
      const key = dirKey === '' ? decodeSegment(entry.name) : `${dirKey}/${decodeSegment(entry.name)}`;
      if (entry.isDirectory()) yield* this.#walk(join(dir, entry.name), key);
      else if (entry.isFile()) yield key;
    }
  }
}

/**
 * The whole file in one buffer of its size: `readFile` reads files over 512 KiB in chunks and
 * concatenates them (a second copy of every image). A stored file is never changed in place (an
 * overwrite renames a new file over it), so the size read first is the size of what the handle reads.
 */
async function readWhole(handle: FileHandle): Promise<Uint8Array> {
  const { size } = await handle.stat();
  return readRange(handle, { start: 0, end: size });
}

async function readRange(handle: FileHandle, range: ByteRange): Promise<Uint8Array> {
  const buffer = Buffer.allocUnsafe(range.end - range.start);
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, range.start + filled);
    if (bytesRead === 0) break; // past the end: clamp, like an HTTP Range (RFC 9110 §14.1.2)
    filled += bytesRead;
  }
  return filled === buffer.length ? buffer : buffer.subarray(0, filled);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return false;
    throw err;
  }
}

function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
