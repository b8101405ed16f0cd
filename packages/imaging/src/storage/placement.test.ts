import { describe, expect, it } from 'vitest';
import { BlobNotFoundError, type BlobStore, BlobUnavailableError, type ByteRange } from '../blob/port.ts';
import { BackendSet } from './backends.ts';
import { forEachLimit, keyOfBlob, placeCopies, sha256, versionedBlobKey } from './placement.ts';

/** An in-memory backend that can be switched off (unit tests only: no I/O). */
class MemoryBlobStore implements BlobStore {
  readonly name: string;
  readonly objects = new Map<string, Uint8Array>();
  down = false;
  puts = 0;
  constructor(name: string) {
    this.name = name;
  }
  #gate(): void {
    if (this.down) throw new BlobUnavailableError(this.name, 'switched off');
  }
  async put(key: string, body: Uint8Array): Promise<void> {
    this.puts++;
    this.#gate();
    this.objects.set(key, body);
  }
  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    this.#gate();
    const body = this.objects.get(key);
    if (body === undefined) throw new BlobNotFoundError(this.name, key);
    return range === undefined ? body : body.subarray(range.start, range.end);
  }
  async has(key: string): Promise<boolean> {
    this.#gate();
    return this.objects.has(key);
  }
  async delete(key: string): Promise<void> {
    this.#gate();
    this.objects.delete(key);
  }
  async *list(): AsyncIterable<string> {
    yield* this.objects.keys();
  }
  async check() {
    return { name: this.name, ok: !this.down };
  }
}

function setup(now = { t: 0 }) {
  const hot = new MemoryBlobStore('hot');
  const a = new MemoryBlobStore('a');
  const b = new MemoryBlobStore('b');
  const set = new BackendSet({ hot, cold: [a, b], cooldownMs: 1000, timeoutMs: 1000, now: () => now.t });
  return { hot, a, b, set, now };
}

const body = new Uint8Array([1, 2, 3]);

describe('placeCopies', () => {
  it('writes the first N backends in preference order', async () => {
    const { set } = setup();
    const placed = await placeCopies(set, { blobKey: 'k', body, count: 2, candidates: set.all });
    expect(placed.map((b) => b.name)).toEqual(['hot', 'a']);
  });

  it('replaces a failing backend with the next one and opens its breaker', async () => {
    const { set, hot, b, now } = setup();
    hot.down = true;
    const placed = await placeCopies(set, { blobKey: 'k', body, count: 2, candidates: set.all });
    expect(placed.map((x) => x.name)).toEqual(['a', 'b']);
    expect(set.isUp(set.hot)).toBe(false);
    // While the breaker is open the hot backend is not even tried.
    await placeCopies(set, { blobKey: 'k2', body, count: 2, candidates: set.all });
    expect(hot.puts).toBe(1);
    expect(b.objects.has('k2')).toBe(true);
    // After the cool-down it is probed again, and a success closes the breaker.
    hot.down = false;
    now.t = 1001;
    const again = await placeCopies(set, { blobKey: 'k3', body, count: 2, candidates: set.all });
    expect(again.map((x) => x.name)).toEqual(['hot', 'a']);
    expect(set.isUp(set.hot)).toBe(true);
  });

  it('returns fewer copies when fewer backends answer, none when none does', async () => {
    const { set, a, b, hot } = setup();
    a.down = true;
    b.down = true;
    expect((await placeCopies(set, { blobKey: 'k', body, count: 2, candidates: set.all })).length).toBe(1);
    hot.down = true;
    expect(await placeCopies(set, { blobKey: 'k', body, count: 2, candidates: set.all })).toEqual([]);
  });

  it('tries backends with an open breaker only when nothing else took a copy', async () => {
    const { set, hot, a, b } = setup();
    set.markDown(set.hot, 'earlier failure');
    a.down = true;
    b.down = true;
    const placed = await placeCopies(set, { blobKey: 'k', body, count: 2, candidates: set.all });
    expect(placed.map((x) => x.name)).toEqual(['hot']);
    expect(hot.objects.has('k')).toBe(true);
  });

  it('with verify, does not count a copy that reads back different', async () => {
    const { set, a } = setup();
    a.put = async (key) => {
      a.objects.set(key, new Uint8Array([9]));
    };
    const placed = await placeCopies(set, {
      blobKey: 'k',
      body,
      count: 1,
      candidates: set.cold,
      verify: sha256(body),
    });
    expect(placed.map((x) => x.name)).toEqual(['b']);
    expect(a.objects.has('k')).toBe(false);
  });
});

describe('blob keys', () => {
  it('are versioned per write and map back to the object key', () => {
    const one = versionedBlobKey('studies/1.2/3.4');
    expect(one).not.toBe(versionedBlobKey('studies/1.2/3.4'));
    expect(keyOfBlob(one)).toBe('studies/1.2/3.4');
  });
});

describe('BackendSet', () => {
  it('orders copies hot first, down backends last, and times out hung calls', async () => {
    const { set, a } = setup();
    set.markDown(set.hot, 'x');
    expect(set.ordered(['b', 'hot', 'a']).map((b) => b.name)).toEqual(['a', 'b', 'hot']);
    a.get = () => new Promise(() => {});
    const fast = new BackendSet({ hot: a, cold: [], cooldownMs: 10, timeoutMs: 20, now: () => 0 });
    await expect(fast.get(fast.hot, 'k')).rejects.toBeInstanceOf(BlobUnavailableError);
    expect(fast.isUp(fast.hot)).toBe(false);
  });

  it('refuses two backends with one name', () => {
    expect(
      () =>
        new BackendSet({
          hot: new MemoryBlobStore('x'),
          cold: [new MemoryBlobStore('x')],
          cooldownMs: 1,
          timeoutMs: 1,
          now: () => 0,
        }),
    ).toThrow(/distinct/);
  });
});

describe('forEachLimit', () => {
  it('runs every item with bounded concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      seen.push(n);
      inFlight--;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });
});
