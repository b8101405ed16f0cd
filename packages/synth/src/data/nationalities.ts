import type { NameGroup } from './latin-names.ts';

/**
 * Nationalities of foreign residents and how their names and passports look.
 *
 * Weights are illustrative, not measured: they follow the general picture of foreigners living in
 * Xiamen and Fujian (Southeast Asians with Hokkien family ties — Philippines, Malaysia, Indonesia,
 * Singapore — Koreans and Japanese in trade and manufacturing, teachers and business people from
 * English-speaking countries, smaller European, Russian and South Asian communities). No published
 * per-nationality table for Xiamen was used; change them freely.
 *
 * `groups` are the naming traditions within a nationality (a Malaysian may be Malay, Chinese or
 * Indian); a household draws one.
 *
 * `passport` is a template of the document number as the country issues it today: `#` a digit, `@` a
 * letter, `*` a letter or digit, anything else literal. Formats are plausible shapes from public
 * specimens (US next-generation "A" + 8 digits, Korean "M" + 8 digits, French 2 digits + 2 letters +
 * 5 digits …), not validated against any issuing authority's rules.
 */
export interface Nationality {
  /** ISO 3166-1 alpha-3. */
  readonly iso3: string;
  /** ISO 3166-1 numeric (3 digits): the nationality field of the permanent residence ID. */
  readonly numeric: string;
  readonly weight: number;
  readonly passport: string;
  readonly groups: readonly (readonly [NameGroup, number])[];
}

export const NATIONALITIES: readonly Nationality[] = [
  {
    iso3: 'PHL',
    numeric: '608',
    weight: 12,
    passport: 'P#######@',
    groups: [
      ['filipino', 3],
      ['hokkien', 1],
    ],
  },
  {
    iso3: 'MYS',
    numeric: '458',
    weight: 10,
    passport: 'A########',
    groups: [
      ['hokkien', 11],
      ['malay', 8],
      ['indian', 1],
    ],
  },
  { iso3: 'KOR', numeric: '410', weight: 10, passport: 'M########', groups: [['korean', 1]] },
  {
    iso3: 'USA',
    numeric: '840',
    weight: 10,
    passport: 'A########',
    groups: [
      ['english', 6],
      ['spanish', 1],
    ],
  },
  {
    iso3: 'IDN',
    numeric: '360',
    weight: 7,
    passport: '@#######',
    groups: [
      ['indonesian', 7],
      ['hokkien', 3],
    ],
  },
  {
    iso3: 'SGP',
    numeric: '702',
    weight: 7,
    passport: 'E#######@',
    groups: [
      ['hokkien', 8],
      ['malay', 1],
      ['indian', 1],
    ],
  },
  { iso3: 'JPN', numeric: '392', weight: 6, passport: '@@#######', groups: [['japanese', 1]] },
  { iso3: 'GBR', numeric: '826', weight: 5, passport: '#########', groups: [['english', 1]] },
  {
    iso3: 'CAN',
    numeric: '124',
    weight: 4,
    passport: '@@######',
    groups: [
      ['english', 3],
      ['french', 1],
    ],
  },
  { iso3: 'AUS', numeric: '036', weight: 4, passport: 'P@#######', groups: [['english', 1]] },
  { iso3: 'DEU', numeric: '276', weight: 4, passport: 'C********', groups: [['german', 1]] },
  { iso3: 'RUS', numeric: '643', weight: 4, passport: '#########', groups: [['russian', 1]] },
  { iso3: 'IND', numeric: '356', weight: 4, passport: '@#######', groups: [['indian', 1]] },
  { iso3: 'FRA', numeric: '250', weight: 3, passport: '##@@#####', groups: [['french', 1]] },
  { iso3: 'THA', numeric: '764', weight: 3, passport: '@@#######', groups: [['thai', 1]] },
  { iso3: 'VNM', numeric: '704', weight: 3, passport: 'C#######', groups: [['vietnamese', 1]] },
  { iso3: 'NZL', numeric: '554', weight: 1, passport: '@@######', groups: [['english', 1]] },
  { iso3: 'NLD', numeric: '528', weight: 1, passport: '@@******#', groups: [['dutch', 1]] },
  { iso3: 'ESP', numeric: '724', weight: 1, passport: '@@@######', groups: [['spanish', 1]] },
  { iso3: 'MEX', numeric: '484', weight: 1, passport: 'G########', groups: [['spanish', 1]] },
  { iso3: 'UKR', numeric: '804', weight: 1, passport: '@@######', groups: [['russian', 1]] },
];

const BY_ISO3: ReadonlyMap<string, Nationality> = new Map(NATIONALITIES.map((n) => [n.iso3, n]));

export function nationalityOf(iso3: string): Nationality {
  const n = BY_ISO3.get(iso3);
  if (!n) throw new RangeError(`no nationality ${iso3}`);
  return n;
}
