import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, sep } from 'node:path';

/**
 * Coalesces directory fsyncs: a rename is durable only once its directory is fsync'd, and many
 * concurrent puts into one study directory can share one fsync started after all their renames
 * (group commit). Per instance, never module-level.
 */
export class DirSyncer {
  readonly #running = new Map<string, Promise<void>>();
  readonly #queued = new Map<string, Promise<void>>();

  /** Resolves once `dir` has been fsync'd by a sync that started after this call. */
  sync(dir: string): Promise<void> {
    const queued = this.#queued.get(dir);
    if (queued !== undefined) return queued;
    const previous = this.#running.get(dir) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => {
        this.#queued.delete(dir);
        const run = fsyncPath(dir);
        this.#running.set(dir, run);
        return run.finally(() => {
          if (this.#running.get(dir) === run) this.#running.delete(dir);
        });
      });
    this.#queued.set(dir, next);
    return next;
  }
}

export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A temp file name in the target's own directory: `~` never occurs in an encoded key segment. */
export function tempNameFor(target: string): string {
  return `${dirname(target)}${sep}~tmp-${randomBytes(8).toString('hex')}`;
}

/**
 * A new file opened for synchronous data writes: each write returns once its data and the size
 * are on disk (O_DSYNC, POSIX `write`), as write + fdatasync would, in one call less.
 */
const NEW_DSYNC_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_DSYNC;

/**
 * Writes `body` to a new file and flushes it (data and size) to disk. One `write` call for the
 * whole body where the OS takes it (`writeFile` cuts bodies into 512 KiB calls, each of which
 * would wait for the disk here).
 */
export async function writeDurable(path: string, body: Uint8Array): Promise<void> {
  const handle = await open(path, NEW_DSYNC_FILE, 0o640);
  try {
    for (let done = 0; done < body.length; ) {
      const { bytesWritten } = await handle.write(body, done, body.length - done, done);
      done += bytesWritten;
    }
    if (body.length === 0) await handle.datasync(); // no write to carry the new inode to disk
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw err;
  }
  await handle.close();
}

const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;

/**
 * Creates `path`, which must not exist, with `body`, durably: the data and size (fdatasync) and
 * the directory entry (`syncDir`), flushed together (one journal commit where the file system
 * merges them). Returns false when the path exists. A failed write removes the file; a crash before
 * this resolves may leave a partial file at `path` — the caller must not rely on a key it was
 * never told was written (the image store names every blob anew and lists it only afterwards).
 */
export async function createDurable(
  path: string,
  body: Uint8Array,
  syncDir: () => Promise<void>,
): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, NEW_FILE, 0o640);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'EEXIST') return false;
    throw err;
  }
  try {
    for (let done = 0; done < body.length; ) {
      const { bytesWritten } = await handle.write(body, done, body.length - done, done);
      done += bytesWritten;
    }
    await Promise.all([handle.datasync(), syncDir()]);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw err;
  }
  await handle.close();
  return true;
}

/** Renames the flushed temp file over the target; the caller fsyncs the directory afterwards. */
export async function publish(temp: string, target: string): Promise<void> {
  try {
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/**
 * Creates `dir` (under `root`) and makes the new directory entries durable: each directory we
 * created is an entry in its parent, which must be fsync'd too.
 */
export async function makeDirDurable(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  // The parent of the first directory created, and every created directory that has a created
  // child (i.e. all but `dir`, which the caller fsyncs after its rename).
  const parents = new Set([dirname(first)]);
  for (let d = dir; d !== first && d !== dirname(d); d = dirname(d)) parents.add(dirname(d));
  await Promise.all([...parents].map((d) => fsyncPath(d)));
}
