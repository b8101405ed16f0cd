/**
 * Registration errors peculiar to Latin-script names and passports, the way Chinese registration
 * desks get foreigners' details wrong: family and given name swapped (the clerk reads the passport's
 * first line as the given name), all capitals as in the machine-readable zone, middle names dropped
 * or cut to an initial, diacritics lost (José → Jose, Müller → Muller or Mueller), hyphens turned into
 * spaces or dropped (Jean-Pierre → Jean Pierre, Min-jun → Minjun), a mistyped letter, and passports
 * renewed (a new number) or not recorded.
 */
import { nationalityOf } from '../data/nationalities.ts';
import { drawPassportNumber } from '../ids/foreign-ids.ts';
import type { ForeignDemographics } from '../population/demographics.ts';
import { stripDiacritics } from '../population/latin-name.ts';
import type { Rng } from '../random/prng.ts';

export type LatinError =
  | 'swapped-family-given'
  | 'upper-case-name'
  | 'dropped-middle-name'
  | 'middle-initial'
  | 'stripped-diacritics'
  | 'hyphen-variant'
  | 'typo-latin-name'
  | 'renewed-passport'
  | 'missing-passport';

type NameField = 'family' | 'given' | 'middle';
const NAME_FIELDS: readonly NameField[] = ['family', 'given', 'middle'];

/** Neighbouring keys on a QWERTY keyboard: the usual slip of a finger. */
const NEIGHBOURS: Readonly<Record<string, string>> = {
  a: 'sqz',
  b: 'vn',
  c: 'xv',
  d: 'sf',
  e: 'wr',
  f: 'dg',
  g: 'fh',
  h: 'gj',
  i: 'uo',
  j: 'hk',
  k: 'jl',
  l: 'k',
  m: 'n',
  n: 'bm',
  o: 'ip',
  p: 'o',
  q: 'w',
  r: 'et',
  s: 'ad',
  t: 'ry',
  u: 'yi',
  v: 'cb',
  w: 'qe',
  x: 'zc',
  y: 'tu',
  z: 'x',
};

function fieldsWith(d: ForeignDemographics, test: (s: string) => boolean): NameField[] {
  return NAME_FIELDS.filter((f) => {
    const v = d[f];
    return v !== undefined && test(v);
  });
}

function setField(d: ForeignDemographics, f: NameField, value: string): void {
  if (f === 'middle') d.middle = value;
  else d[f] = value;
}

/** One letter replaced by a neighbouring key, dropped, or doubled. */
function typo(rng: Rng, text: string): string {
  const letters = [...text].flatMap((c, i) => (/[a-z]/i.test(c) ? [i] : []));
  if (letters.length < 2) return text;
  const i = rng.pick(letters);
  const c = text.charAt(i);
  const kind = rng.int(0, 4);
  if (kind === 0) return text.slice(0, i) + text.slice(i + 1);
  if (kind === 1) return text.slice(0, i) + c + text.slice(i);
  const lower = c.toLowerCase();
  const sub = rng.pick([...(NEIGHBOURS[lower] ?? 'e')]);
  return text.slice(0, i) + (c === lower ? sub : sub.toUpperCase()) + text.slice(i + 1);
}

function stripAll(rng: Rng, d: ForeignDemographics): boolean {
  const fields = fieldsWith(d, (s) => stripDiacritics(s) !== s);
  if (fields.length === 0) return false;
  const transcribe = d.nationality === 'DEU' && rng.chance(0.5);
  for (const f of fields) setField(d, f, stripDiacritics(d[f] ?? '', transcribe));
  return true;
}

/** "Jean-Pierre" → "Jean Pierre" or "JeanPierre"; a two-word given name joined or hyphenated. */
function hyphenVariant(rng: Rng, d: ForeignDemographics): boolean {
  const hyphenated = fieldsWith(d, (s) => s.includes('-'));
  if (hyphenated.length > 0) {
    const f = rng.pick(hyphenated);
    setField(d, f, (d[f] ?? '').replaceAll('-', rng.chance(0.5) ? ' ' : ''));
    return true;
  }
  const spaced = fieldsWith(d, (s) => s.includes(' ')).filter((f) => f !== 'family');
  if (spaced.length === 0) return false;
  const f = rng.pick(spaced);
  setField(d, f, (d[f] ?? '').replaceAll(' ', rng.chance(0.5) ? '-' : ''));
  return true;
}

/** Applies one Latin-specific error; undefined when it cannot apply to this record. */
export function applyLatinError(rng: Rng, d: ForeignDemographics, error: LatinError): LatinError | undefined {
  switch (error) {
    case 'swapped-family-given':
      [d.family, d.given] = [d.given, d.family];
      return error;
    case 'upper-case-name': {
      if (fieldsWith(d, (s) => s !== s.toUpperCase()).length === 0) return undefined;
      d.family = d.family.toUpperCase();
      d.given = d.given.toUpperCase();
      d.middle = d.middle?.toUpperCase();
      return error;
    }
    case 'dropped-middle-name':
      if (d.middle === undefined) return undefined;
      d.middle = undefined;
      return error;
    case 'middle-initial':
      if (d.middle === undefined || d.middle.length <= 2) return undefined;
      d.middle = `${d.middle.charAt(0)}.`;
      return error;
    case 'stripped-diacritics':
      return stripAll(rng, d) ? error : undefined;
    case 'hyphen-variant':
      return hyphenVariant(rng, d) ? error : undefined;
    case 'typo-latin-name': {
      const f: NameField = rng.chance(0.5) ? 'family' : 'given';
      const changed = typo(rng, d[f]);
      if (changed === d[f]) return undefined;
      d[f] = changed;
      return error;
    }
    case 'renewed-passport':
      if (!d.passport) return undefined;
      d.passport = drawPassportNumber(rng, nationalityOf(d.nationality).passport);
      return error;
    case 'missing-passport':
      if (!d.passport) return undefined;
      d.passport = undefined;
      return error;
  }
}
