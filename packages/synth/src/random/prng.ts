/**
 * Deterministic pseudo-random numbers. Every draw in the generator comes from here: never Math.random,
 * never the clock, so one seed always yields the same city.
 *
 * Seeds are strings hashed to 128 bits (four FNV-1a lanes with different offsets, each finalised with
 * the MurmurHash3 fmix32 avalanche); the generator is sfc32 (Chris Doty-Humphrey's "small fast
 * counting" generator from PractRand), which passes PractRand/BigCrush and is cheap in 32-bit JS.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Normal(mean, sd) by Box–Muller. */
  normal(mean: number, sd: number): number;
  /** Poisson count (Knuth's method; fine for the small means used here). */
  poisson(mean: number): number;
  /** A new independent stream derived from this stream's seed and a label. */
  fork(label: string): Rng;
  /** 32 random bits as an unsigned integer. */
  uint32(): number;
}

function fmix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a string to four 32-bit words. */
export function hashSeed(seed: string): [number, number, number, number] {
  const lanes = [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x7f4a7c15];
  for (let i = 0; i < seed.length; i++) {
    const c = seed.charCodeAt(i);
    for (let l = 0; l < 4; l++) lanes[l] = Math.imul((lanes[l] ?? 0) ^ c, 0x01000193 + 2 * l);
  }
  return [fmix32(lanes[0] ?? 0), fmix32(lanes[1] ?? 0), fmix32(lanes[2] ?? 0), fmix32(lanes[3] ?? 0)];
}

class Sfc32 implements Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  readonly #seed: string;

  constructor(seed: string) {
    this.#seed = seed;
    [this.#a, this.#b, this.#c, this.#d] = hashSeed(seed);
    for (let i = 0; i < 12; i++) this.uint32(); // warm up away from the hashed state
  }

  uint32(): number {
    const t0 = (this.#a + this.#b) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#d = (this.#d + 1) | 0;
    const t = (t0 + this.#d) | 0;
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.uint32() / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  normal(mean: number, sd: number): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  fork(label: string): Rng {
    return new Sfc32(`${this.#seed}/${label}`);
  }
}

export function createRng(seed: string): Rng {
  return new Sfc32(seed);
}

/** A categorical distribution sampled by binary search over cumulative weights. */
export interface WeightedTable<T> {
  readonly items: readonly T[];
  readonly cumulative: Float64Array;
  readonly total: number;
}

export function weightedTable<T>(entries: readonly (readonly [T, number])[]): WeightedTable<T> {
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([, w], i) => {
    total += w;
    cumulative[i] = total;
  });
  return { items: entries.map(([item]) => item), cumulative, total };
}

export function sample<T>(rng: Rng, table: WeightedTable<T>): T {
  const x = rng.next() * table.total;
  let lo = 0;
  let hi = table.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((table.cumulative[mid] ?? 0) > x) hi = mid;
    else lo = mid + 1;
  }
  const item = table.items[lo];
  if (item === undefined) throw new RangeError('sample from an empty table');
  return item;
}
