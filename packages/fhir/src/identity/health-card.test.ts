import { describe, expect, it } from 'vitest';
import {
  buildHealthCard,
  HEALTH_CARD_SYSTEM,
  healthCardParts,
  isValidHealthCard,
  luhnCheckDigit,
  normalizeHealthCard,
} from './health-card.ts';

describe('health card numbers (Luhn, ISO/IEC 7812-1 Annex B)', () => {
  it('computes the textbook check digits', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(luhnCheckDigit('0')).toBe('0');
    expect(luhnCheckDigit('1')).toBe('8');
  });

  it('builds 18 valid digits from area code, two-digit year and serial', () => {
    const card = buildHealthCard('350211', 2021, 123456);
    expect(card).toMatch(/^35021121000123456\d$/);
    expect(isValidHealthCard(card)).toBe(true);
    expect(healthCardParts(card)).toEqual({ areaCode: '350211', issueYear: '21', serial: 123456 });
    expect(HEALTH_CARD_SYSTEM).toBe('https://yiyun.dev/fhir/sid/cn-health-card');
  });

  it('rejects every single-digit error and every adjacent transposition but 09/90', () => {
    const card = buildHealthCard('350203', 2026, 987654321);
    for (let i = 0; i < 18; i++) {
      for (let d = 0; d < 10; d++) {
        if (String(d) === card[i]) continue;
        expect(isValidHealthCard(card.slice(0, i) + d + card.slice(i + 1))).toBe(false);
      }
    }
    for (let i = 0; i < 17; i++) {
      const a = card[i] ?? '';
      const b = card[i + 1] ?? '';
      if (a === b || `${a}${b}` === '09' || `${a}${b}` === '90') continue;
      expect(isValidHealthCard(card.slice(0, i) + b + a + card.slice(i + 2))).toBe(false);
    }
  });

  it('refuses malformed inputs instead of building a wrong number', () => {
    expect(() => buildHealthCard('35021', 2021, 1)).toThrow(RangeError);
    expect(() => buildHealthCard('350211', 2021, 1_000_000_000)).toThrow(RangeError);
    expect(() => buildHealthCard('350211', 2021, -1)).toThrow(RangeError);
    expect(() => luhnCheckDigit('12a')).toThrow(RangeError);
    expect(isValidHealthCard('35021121000123456')).toBe(false);
    expect(isValidHealthCard('3502112100012345６7')).toBe(false);
    expect(healthCardParts('350211210001234560')).toBeUndefined();
  });

  it('strips the spaces and hyphens of a typed or printed number', () => {
    expect(normalizeHealthCard(' 3502 1121-0001\u30002345 67 ')).toBe('350211210001234567');
  });
});
