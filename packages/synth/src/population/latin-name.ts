import { LATIN_NAME_GROUPS, type LatinNameGroup, type NameGroup } from '../data/latin-names.ts';
import type { Rng } from '../random/prng.ts';
import type { LatinName, Relationship, Sex } from './model.ts';

/** What naming needs to know of a household member (head first). */
export interface NamedMember {
  readonly sex: Sex;
  readonly relationship: Relationship;
}

const GERMAN_TRANSCRIPTION: Readonly<Record<string, string>> = {
  Ä: 'Ae',
  Ö: 'Oe',
  Ü: 'Ue',
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
};

/**
 * Latin letters without diacritics, as on a machine-readable zone or a keyboard without them:
 * José → Jose, Nguyễn → Nguyen, Đặng → Dang, Weiß → Weiss. With `transcribe`, German umlauts become
 * two letters as ICAO 9303 writes them (Müller → Mueller) instead of losing their dots (Muller).
 */
export function stripDiacritics(text: string, transcribe = false): string {
  const base = transcribe
    ? text.replace(/[ÄÖÜäöü]/g, (c, i: number) => {
        const two = GERMAN_TRANSCRIPTION[c] ?? c;
        const next = text.charAt(i + 1);
        // In a name written in capitals, MÜLLER becomes MUELLER, not MUeLLER.
        return next !== next.toLowerCase() ? two.toUpperCase() : two;
      })
    : text;
  return base
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replaceAll('ß', 'ss')
    .replaceAll('Đ', 'D')
    .replaceAll('đ', 'd');
}

/** The given names in the order they are written (FHIR `HumanName.given`). */
export function givenNames(name: Pick<LatinName, 'given' | 'middle' | 'middleFirst'>): string[] {
  const parts = name.middleFirst ? [name.middle, name.given] : [name.given, name.middle];
  return parts.filter((p): p is string => p !== undefined && p.length > 0);
}

/** The whole name as written: "KIM Min-jun" family first, "John Michael Smith" given first. */
export function latinNameText(name: LatinName): string {
  const given = givenNames(name).join(' ');
  return name.familyFirst ? `${name.family.toUpperCase()} ${given}` : `${given} ${name.family}`;
}

function drawFamily(rng: Rng, g: LatinNameGroup): string {
  if (g.common && rng.chance(g.common.share)) return rng.pick(g.common.names);
  return rng.pick(g.family);
}

function drawGiven(rng: Rng, g: LatinNameGroup, sex: Sex): string {
  return rng.pick(sex === 'male' ? g.male : g.female);
}

/** Russian family names agree with sex: Ivanov → Ivanova; Ukrainian -enko and -yk do not change. */
function slavicForm(family: string, sex: Sex): string {
  if (sex === 'male' || !/(ov|ev|in)$/.test(family)) return family;
  return `${family}a`;
}

/** True when two names share a word ("Marie" and "Marie-Ève", "Minh" and "Minh"). */
function overlaps(a: string, b: string): boolean {
  const words = (s: string) => s.toLowerCase().split(/[\s-]+/);
  const wa = words(a);
  return words(b).some((w) => wa.includes(w));
}

function drawMiddle(
  rng: Rng,
  g: LatinNameGroup,
  sex: Sex,
  given: string,
  family: string,
): string | undefined {
  const m = g.middle;
  if (!m || !rng.chance(m.share)) return undefined;
  const bySex = (male: readonly string[], female: readonly string[]) => (sex === 'male' ? male : female);
  const { source } = m;
  const list =
    source === 'given'
      ? bySex(g.male, g.female)
      : source === 'family'
        ? g.family
        : bySex(source.male, source.female);
  const candidates = list.filter((n) => !overlaps(n, source === 'family' ? family : given));
  return candidates.length > 0 ? rng.pick(candidates) : undefined;
}

/** Family names of a household under the group's rule (see `FamilyRule`). */
function familyNames(
  rng: Rng,
  g: LatinNameGroup,
  members: readonly NamedMember[],
  given: string[],
): string[] {
  const head = members[0];
  const spouseIndex = members.findIndex((m) => m.relationship === 'spouse');
  const fatherIndex = head?.sex === 'male' ? 0 : spouseIndex;
  if (g.familyRule === 'malay') {
    // "bin"/"binti" + father's given name; the head's own father is drawn (and is the head's father
    // when he lives in the household).
    const headFather = rng.pick(g.family);
    return members.map((m, i) => {
      const bin = m.sex === 'male' ? 'bin' : 'binti';
      if (i === 0) return `${bin} ${headFather}`;
      if (m.relationship === 'child')
        return `${bin} ${fatherIndex >= 0 ? given[fatherIndex] : rng.pick(g.family)}`;
      if (m.relationship === 'parent' && m.sex === 'male' && head?.sex === 'male') given[i] = headFather;
      return `${bin} ${rng.pick(g.family)}`;
    });
  }
  if (g.familyRule === 'spanish') {
    const parts = members.map(() => [drawFamily(rng, g), drawFamily(rng, g)] as [string, string]);
    const motherIndex = fatherIndex === 0 ? spouseIndex : 0;
    members.forEach((m, i) => {
      if (m.relationship !== 'child') return;
      const father = parts[fatherIndex]?.[0];
      const mother = motherIndex >= 0 ? parts[motherIndex]?.[0] : undefined;
      parts[i] = [father ?? mother ?? drawFamily(rng, g), father && mother ? mother : drawFamily(rng, g)];
    });
    return parts.map(([a, b]) => `${a} ${b}`);
  }
  const base = drawFamily(rng, g);
  const keeps = g.familyRule === 'kept';
  const lineage = keeps && head?.sex === 'female' && spouseIndex > 0 ? drawFamily(rng, g) : base;
  return members.map((m, i) => {
    let family: string;
    if (i === 0) family = base;
    // Where wives keep their names, the spouse who is the father carries the children's name.
    else if (m.relationship === 'spouse')
      family = !keeps ? base : i === fatherIndex ? lineage : drawFamily(rng, g);
    else if (m.relationship === 'child') family = lineage;
    else if (m.relationship === 'parent' && (head?.sex === 'male' || spouseIndex < 0) && m.sex === 'male')
      family = base;
    else family = drawFamily(rng, g);
    return g.familyRule === 'slavic' ? slavicForm(family, m.sex) : family;
  });
}

/**
 * Latin names for the members of a foreign household of one naming tradition. Korean given names
 * are hyphenated ("Min-jun") or written as one word ("Minjun") as the person's passport has it;
 * Vietnamese names keep their diacritics in about half of the households (the other half registered
 * from a passport, which has none).
 */
export function drawLatinNames(rng: Rng, groupKey: NameGroup, members: readonly NamedMember[]): LatinName[] {
  const g = LATIN_NAME_GROUPS[groupKey];
  const ascii = groupKey === 'vietnamese' && rng.chance(0.5);
  const given = members.map((m) => {
    const name = drawGiven(rng, g, m.sex);
    return groupKey === 'korean' && rng.chance(0.4) ? name.replace(/-(.)/, (_, c: string) => c) : name;
  });
  const families = familyNames(rng, g, members, given);
  return members.map((m, i) => {
    const family = families[i] ?? drawFamily(rng, g);
    const first = given[i] ?? drawGiven(rng, g, m.sex);
    const middle = drawMiddle(rng, g, m.sex, first, family);
    const name: LatinName = {
      family,
      given: first,
      middle,
      middleFirst: g.middle?.first === true,
      familyFirst: g.familyFirst,
    };
    if (!ascii) return name;
    return {
      ...name,
      family: stripDiacritics(name.family),
      given: stripDiacritics(name.given),
      middle: name.middle === undefined ? undefined : stripDiacritics(name.middle),
    };
  });
}
