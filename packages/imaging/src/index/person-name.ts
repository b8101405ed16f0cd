/**
 * Person Name (PN) values as the index stores and matches them (PS3.5 §6.2.1: up to three
 * component groups — alphabetic, ideographic, phonetic — separated by `=`, each of up to five
 * components family^given^middle^prefix^suffix). Chinese senders put pinyin in the alphabetic
 * group and 汉字 in the ideographic one, so a query must be able to hit either.
 */

export interface PersonNameGroups {
  readonly alphabetic?: string;
  readonly ideographic?: string;
  readonly phonetic?: string;
}

/**
 * The matching form of one component group: components trimmed, trailing empty components dropped
 * (PS3.5 §6.2.1.1: they are insignificant), lower-cased (PN matching here is case-insensitive,
 * PS3.4 §C.2.2.2.1 leaves that to the SCP). Empty → undefined.
 */
export function normaliseGroup(group: string | undefined): string | undefined {
  if (group === undefined) return undefined;
  const parts = group.split('^').map((p) => p.trim());
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  const joined = parts.join('^').toLowerCase();
  return joined === '' ? undefined : joined;
}

/** A PN string (`Wang^Fang=王^芳`) as its groups. */
export function splitPersonName(value: string): PersonNameGroups {
  const [alphabetic, ideographic, phonetic] = value.split('=');
  return {
    ...(alphabetic ? { alphabetic } : {}),
    ...(ideographic ? { ideographic } : {}),
    ...(phonetic ? { phonetic } : {}),
  };
}

/** A DICOM JSON PN value (`{Alphabetic, Ideographic, Phonetic}`, PS3.18 §F.2.2) as groups. */
export function personNameOfJson(value: unknown): PersonNameGroups | undefined {
  if (typeof value === 'string') return splitPersonName(value);
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const pick = (k: string) => (typeof v[k] === 'string' && v[k] !== '' ? (v[k] as string) : undefined);
  const alphabetic = pick('Alphabetic');
  const ideographic = pick('Ideographic');
  const phonetic = pick('Phonetic');
  if (!alphabetic && !ideographic && !phonetic) return undefined;
  return {
    ...(alphabetic ? { alphabetic } : {}),
    ...(ideographic ? { ideographic } : {}),
    ...(phonetic ? { phonetic } : {}),
  };
}

/** Case, accents and width folded: `Müller` → `muller`, full-width `ＷＡＮＧ` → `wang`. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** Separators ignored by fuzzy matching: component and group delimiters, spaces, hyphens, dots, apostrophes, commas. */
const SEPARATORS = /[\s^=\-.,'’·・]+/u;

/**
 * The fuzzy-matching form: ` token token … ` (space-delimited, with a leading and trailing space),
 * where the tokens of each group are its folded words, each component with its inner separators
 * removed, and the whole group with every separator removed. A fuzzy query word matches when it is
 * a prefix of some token (see `fuzzyWords`): `wang`, `fang`, `wangf`, `王`, `芳`, `王芳` all find
 * `Wang^Fang=王^芳`, in any order and any case.
 */
export function fuzzyForm(name: PersonNameGroups): string | undefined {
  const tokens = new Set<string>();
  for (const group of [name.alphabetic, name.ideographic, name.phonetic]) {
    if (!group) continue;
    const folded = foldText(group);
    for (const word of folded.split(SEPARATORS)) if (word) tokens.add(word);
    for (const component of folded.split('^')) {
      const joined = component.split(SEPARATORS).join('');
      if (joined) tokens.add(joined);
    }
    const whole = folded.split(SEPARATORS).join('');
    if (whole) tokens.add(whole);
  }
  return tokens.size ? ` ${[...tokens].join(' ')} ` : undefined;
}

/** The words of a fuzzy query value: folded, wildcards dropped, split on separators. */
export function fuzzyWords(value: string): string[] {
  return foldText(value.replace(/[*?]/g, ' '))
    .split(SEPARATORS)
    .filter((w) => w !== '');
}
