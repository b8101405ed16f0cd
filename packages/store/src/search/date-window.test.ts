import { describe, expect, it } from 'vitest';
import { hull, intersect, windowFor } from './date-window.ts';

const D1 = '2024-01-01T00:00:00.000Z';
const D2 = '2024-01-02T00:00:00.000Z';
const D3 = '2024-03-01T00:00:00.000Z';

describe('date windows', () => {
  it('gives each prefix the window its matches must overlap', () => {
    expect(windowFor('eq', D1, D2)).toEqual({ low: D1, high: D2 });
    expect(windowFor('ge', D1, D2)).toEqual({ low: D1, high: null });
    expect(windowFor('gt', D1, D2)).toEqual({ low: D2, high: null });
    expect(windowFor('lt', D1, D2)).toEqual({ low: null, high: D1 });
    expect(windowFor('le', D1, D2)).toEqual({ low: null, high: D2 });
    expect(windowFor('ne', D1, D2)).toEqual({ low: null, high: null });
  });

  it('intersects AND-ed filters into a range and detects impossible ones', () => {
    expect(intersect(windowFor('ge', D1, D2), windowFor('lt', D3, D3))).toEqual({ low: D1, high: D3 });
    expect(intersect(windowFor('ge', D3, D3), windowFor('lt', D1, D2))).toBeUndefined();
  });

  it('takes the hull of OR-ed values', () => {
    expect(hull(windowFor('eq', D1, D2), windowFor('eq', D3, D3))).toEqual({ low: D1, high: D3 });
    expect(hull(windowFor('ge', D3, D3), windowFor('eq', D1, D2))).toEqual({ low: D1, high: null });
  });
});
