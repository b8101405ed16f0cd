import { describe, expect, it } from 'vitest';
import { createRng, sample, weightedTable } from './prng.ts';

describe('seeded PRNG', () => {
  it('repeats for one seed and differs between seeds and forks', () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.uint32()
      )(createRng('seed')),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.uint32()
      )(createRng('seed')),
    );
    const c = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.uint32()
      )(createRng('seed2')),
    );
    const f = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.uint32()
      )(createRng('seed').fork('x')),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(f);
  });

  it('is roughly uniform and samples weights in proportion', () => {
    const rng = createRng('uniform');
    let sum = 0;
    for (let i = 0; i < 20000; i++) sum += rng.next();
    expect(sum / 20000).toBeCloseTo(0.5, 1);
    const table = weightedTable([
      ['a', 1],
      ['b', 3],
    ] as const);
    let b = 0;
    for (let i = 0; i < 20000; i++) if (sample(rng, table) === 'b') b++;
    expect(b / 20000).toBeGreaterThan(0.73);
    expect(b / 20000).toBeLessThan(0.77);
  });
});
