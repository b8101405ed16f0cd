import { describe, expect, it } from 'vitest';
import { fitInside, resample } from './resize.ts';

describe('fitInside', () => {
  it('keeps the aspect ratio inside the box, enlarging or shrinking', () => {
    expect(fitInside(512, 512, { width: 128, height: 128 })).toEqual({ width: 128, height: 128 });
    expect(fitInside(256, 1024, { width: 100, height: 100 })).toEqual({ width: 25, height: 100 });
    expect(fitInside(64, 64, { width: 256, height: 128 })).toEqual({ width: 128, height: 128 });
    expect(fitInside(1000, 1, { width: 10, height: 10 })).toEqual({ width: 10, height: 1 });
  });
});

describe('resample', () => {
  it('averages the covered area when shrinking', () => {
    const data = Uint8Array.from([0, 100, 10, 20, 200, 50, 30, 40, 1, 2, 3, 4, 5, 6, 7, 8]);
    const out = resample({ width: 4, height: 4, channels: 1, data }, 2, 2);
    expect([...out.data]).toEqual([88, 25, 4, 6]);
  });

  it('weights partly covered pixels by coverage (3 → 2)', () => {
    const out = resample({ width: 3, height: 1, channels: 1, data: Uint8Array.from([0, 90, 180]) }, 2, 1);
    // Output 0 covers pixel 0 and half of pixel 1: (0 + 45) / 1.5 = 30; output 1: (45 + 180) / 1.5 = 150.
    expect([...out.data]).toEqual([30, 150]);
  });

  it('interpolates bilinearly when enlarging and keeps a flat image flat', () => {
    const up = resample({ width: 2, height: 1, channels: 1, data: Uint8Array.from([0, 200]) }, 4, 1);
    expect([...up.data]).toEqual([0, 50, 150, 200]);
    const flat = resample(
      { width: 7, height: 5, channels: 3, data: new Uint8Array(7 * 5 * 3).fill(77) },
      3,
      11,
    );
    expect(flat.data.length).toBe(3 * 11 * 3);
    expect(flat.data.every((v) => v === 77)).toBe(true);
  });
});
