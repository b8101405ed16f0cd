import { describe, expect, it } from 'vitest';
import { XIAMEN_DISTRICTS } from '../data/districts.ts';
import type { CitizenDemographics, ForeignDemographics } from '../population/demographics.ts';
import { stripDiacritics } from '../population/latin-name.ts';
import { createRng } from '../random/prng.ts';
import { corruptDemographics, type DemographicError } from './duplicates.ts';

const district = XIAMEN_DISTRICTS[0] ?? (undefined as never);
const place = { district, subdistrict: '鹭江街道', community: '思北社区', dwelling: '3号楼502室' };

const foreigner: ForeignDemographics = {
  kind: 'foreign',
  nationality: 'DEU',
  family: 'Müller-Lüdenscheidt',
  given: 'Hans-Peter',
  middle: 'Jürgen',
  middleFirst: false,
  familyFirst: false,
  passport: 'C01X00T47',
  permanentResidenceId: '935276198803050016',
  healthCard: undefined,
  birthDate: '1988-03-05',
  phone: '13900000000',
  ...place,
};

const citizen: CitizenDemographics = {
  kind: 'citizen',
  family: '张',
  given: '伟',
  familyPinyin: 'Zhang',
  givenPinyin: 'Wei',
  residentId: '350203198803050012',
  healthCard: undefined,
  birthDate: '1988-03-05',
  phone: '13900000000',
  ...place,
};

const CHINESE_ONLY: readonly DemographicError[] = ['homophone-name', 'typo-name', 'pinyin-variant'];
const LATIN_ONLY: readonly DemographicError[] = [
  'swapped-family-given',
  'upper-case-name',
  'dropped-middle-name',
  'middle-initial',
  'stripped-diacritics',
  'hyphen-variant',
  'typo-latin-name',
  'renewed-passport',
  'missing-passport',
];

function corruptMany(original: ForeignDemographics | CitizenDemographics, n: number) {
  const rng = createRng('duplicates-test');
  return Array.from({ length: n }, () => corruptDemographics(rng, original));
}

describe('duplicate registrations of foreigners', () => {
  const copies = corruptMany(foreigner, 3000);
  const made = new Set(copies.flatMap((c) => c.errors));

  it('carry Latin-specific errors and never the Chinese ones', () => {
    for (const e of LATIN_ONLY) expect(made.has(e), e).toBe(true);
    for (const e of ['swapped-day-month', 'changed-phone', 'missing-phone', 'moved-address', 'typo-id'])
      expect(made.has(e as DemographicError), e).toBe(true);
    for (const e of CHINESE_ONLY) expect(made.has(e), e).toBe(false);
  });

  it('change the record the way each recorded error says', () => {
    for (const { demo, errors } of copies) {
      if (demo.kind !== 'foreign') throw new Error('a foreigner became a citizen');
      if (errors.length === 1) {
        const e = errors[0];
        if (e === 'swapped-family-given') {
          expect(demo.family).toBe(foreigner.given);
          expect(demo.given).toBe(foreigner.family);
        }
        if (e === 'upper-case-name') expect(demo.family).toBe('MÜLLER-LÜDENSCHEIDT');
        if (e === 'dropped-middle-name') expect(demo.middle).toBeUndefined();
        if (e === 'middle-initial') expect(demo.middle).toBe('J.');
        if (e === 'stripped-diacritics')
          expect(['Muller-Ludenscheidt', 'Mueller-Luedenscheidt']).toContain(demo.family);
        if (e === 'hyphen-variant')
          expect(demo.family !== foreigner.family || demo.given !== foreigner.given).toBe(true);
        if (e === 'renewed-passport') expect(demo.passport).toMatch(/^C[A-Z0-9]{8}$/);
        if (e === 'missing-passport') expect(demo.passport).toBeUndefined();
        if (e === 'swapped-day-month') expect(demo.birthDate).toBe('1988-05-03');
        if (e === 'missing-id') expect(demo.permanentResidenceId).toBeUndefined();
      }
      if (errors.length === 0) expect(demo).toEqual(foreigner);
      if (!errors.includes('renewed-passport') && !errors.includes('missing-passport'))
        expect(demo.passport).toBe(foreigner.passport);
    }
  });

  it('leave the original untouched', () => {
    expect(foreigner.family).toBe('Müller-Lüdenscheidt');
    expect(foreigner.passport).toBe('C01X00T47');
  });
});

describe('duplicate registrations of Chinese residents', () => {
  it('keep their own errors and never get Latin ones', () => {
    const made = new Set(corruptMany(citizen, 2000).flatMap((c) => c.errors));
    for (const e of CHINESE_ONLY) expect(made.has(e), e).toBe(true);
    for (const e of LATIN_ONLY) expect(made.has(e), e).toBe(false);
  });
});

describe('stripDiacritics', () => {
  it.each([
    ['José', 'Jose'],
    ['François', 'Francois'],
    ['Nguyễn', 'Nguyen'],
    ['Đặng', 'Dang'],
    ['Weiß', 'Weiss'],
    ['Müller', 'Muller'],
    ['Peñaflor', 'Penaflor'],
  ])('%s → %s', (from, to) => expect(stripDiacritics(from)).toBe(to));

  it('transcribes German umlauts as ICAO 9303 does when asked', () => {
    expect(stripDiacritics('Müller', true)).toBe('Mueller');
    expect(stripDiacritics('Köhler-Jäger', true)).toBe('Koehler-Jaeger');
    expect(stripDiacritics('MÜLLER', true)).toBe('MUELLER');
    expect(stripDiacritics('Ülrich', true)).toBe('Uelrich');
  });
});
