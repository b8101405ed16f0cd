import { describe, expect, it } from 'vitest';
import { addMonths, ageAt, dayOf, isoDate, isoDateTime, isoWeek } from './dates.ts';

describe('day arithmetic', () => {
  it('formats every day from 1900 to 2100 exactly as Date does', () => {
    for (let day = dayOf('1900-01-01'); day <= dayOf('2100-12-31'); day += 1) {
      if (isoDate(day) !== new Date(day * 86_400_000).toISOString().slice(0, 10))
        throw new Error(`day ${day}`);
    }
    expect(isoDate(dayOf('2024-02-29'))).toBe('2024-02-29');
  });

  it('computes ages, month steps, ISO weeks and local times', () => {
    expect(ageAt(dayOf('2000-07-01'), dayOf('2026-06-30'))).toBe(25);
    expect(ageAt(dayOf('2000-06-30'), dayOf('2026-06-30'))).toBe(26);
    expect(isoDate(addMonths(dayOf('2024-01-31'), 1))).toBe('2024-02-29');
    expect(isoWeek(dayOf('2021-01-03'))).toBe('2020-W53');
    expect(isoWeek(dayOf('2025-01-13'))).toBe('2025-W03');
    expect(isoDateTime(dayOf('2026-06-30'), 8 * 60 + 5)).toBe('2026-06-30T08:05:00+08:00');
  });
});
