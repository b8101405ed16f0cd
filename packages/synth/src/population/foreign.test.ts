import { isValidResidentId, passportSystem } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { NATIONALITIES } from '../data/nationalities.ts';
import { SYSTEMS } from '../data/systems.ts';
import { sampleHouseholds } from '../test-support.ts';
import { ageAt, dayOf, isoDate } from '../util/dates.ts';
import { demographicsOf } from './demographics.ts';
import { FOREIGN_HOUSEHOLD_SHARE } from './foreign.ts';
import { givenNames } from './latin-name.ts';
import type { ForeignPerson, Household } from './model.ts';
import { patientResource } from './patient.ts';

const HOUSEHOLDS = 30_000;
const asOfDay = dayOf('2026-06-30');
const LATIN = /^[\p{Script=Latin} '.-]+$/u;

// One pass over a city of 30 000 households (≈ 75 000 residents) serves every test below.
const all: Household[] = [];
const foreign: Household[] = [];
for (const hh of sampleHouseholds('foreign', HOUSEHOLDS)) {
  if (hh.members[0]?.kind === 'foreign') foreign.push(hh);
  if (all.length < 300) all.push(hh);
}
const people = foreign.flatMap((hh) => hh.members as ForeignPerson[]);

describe('foreign households', () => {
  it('are about 1 % of households, one nationality each', () => {
    const share = foreign.length / HOUSEHOLDS;
    expect(FOREIGN_HOUSEHOLD_SHARE).toBe(0.01);
    expect(share).toBeGreaterThan(0.008);
    expect(share).toBeLessThan(0.012);
    for (const hh of foreign) {
      expect(hh.members.every((m) => m.kind === 'foreign')).toBe(true);
      expect(new Set(hh.members.map((m) => (m as ForeignPerson).nationality)).size).toBe(1);
    }
    const nationalities = new Set(people.map((p) => p.nationality));
    expect(nationalities.size).toBeGreaterThan(12);
    for (const n of nationalities) expect(NATIONALITIES.some((x) => x.iso3 === n)).toBe(true);
  });

  it('are working-age adults and their children', () => {
    const ages = people.map((p) => ageAt(p.birthDay, asOfDay));
    const adults = ages.filter((a) => a >= 18 && a <= 64).length;
    const children = ages.filter((a) => a < 18).length;
    expect(adults / ages.length).toBeGreaterThan(0.6);
    expect((adults + children) / ages.length).toBeGreaterThan(0.9);
    for (const hh of foreign) expect(ageAt(hh.members[0]?.birthDay ?? 0, asOfDay)).toBeGreaterThanOrEqual(20);
  });

  it('have Latin-script names with diacritics, hyphens, particles and middle names', () => {
    for (const p of people) {
      expect(p.name.family, p.key).toMatch(LATIN);
      for (const g of givenNames(p.name)) expect(g, p.key).toMatch(LATIN);
    }
    const families = people.map((p) => p.name.family);
    expect(families.some((f) => /[^\p{ASCII}]/u.test(f))).toBe(true); // Müller, Nguyễn …
    expect(families.some((f) => f.includes(' '))).toBe(true); // De la Cruz, bin Ismail, García López …
    expect(people.some((p) => p.name.given.includes('-'))).toBe(true); // Jean-Pierre, Min-jun
    const withMiddle = people.filter((p) => p.name.middle !== undefined).length / people.length;
    expect(withMiddle).toBeGreaterThan(0.15);
    expect(withMiddle).toBeLessThan(0.7);
  });

  it('hold passports, and about 30 % valid permanent residence IDs', () => {
    for (const p of people) expect(p.passport).toMatch(/^[A-Z0-9]{8,9}$/);
    // Decided per household (children follow their parents), so measured on households.
    const permanent = foreign.filter((hh) => (hh.members[0] as ForeignPerson).permanentResidenceId);
    expect(permanent.length / foreign.length).toBeGreaterThan(0.22);
    expect(permanent.length / foreign.length).toBeLessThan(0.38);
    const holders = people.filter((p) => p.permanentResidenceId !== undefined);
    for (const p of holders) {
      const id = p.permanentResidenceId ?? '';
      const numeric = NATIONALITIES.find((n) => n.iso3 === p.nationality)?.numeric;
      expect(isValidResidentId(id), id).toBe(true);
      expect(id.slice(0, 6)).toBe(`935${numeric}`);
      expect(id.slice(6, 14)).toBe(isoDate(p.birthDay).replaceAll('-', ''));
      expect(Number(id.charAt(16)) % 2).toBe(p.sex === 'male' ? 1 : 0);
      expect(p.healthCard).toBeDefined();
    }
    expect(new Set(holders.map((p) => p.permanentResidenceId)).size).toBe(holders.length);
    expect(people.filter((p) => !p.permanentResidenceId).every((p) => p.healthCard === undefined)).toBe(true);
  });

  it('leave the Chinese households as they were (citizens with resident IDs)', () => {
    const citizens = all.filter((hh) => hh.members[0]?.kind === 'citizen').flatMap((hh) => hh.members);
    expect(citizens.length).toBeGreaterThan(500);
    for (const c of citizens) if (c.kind === 'citizen') expect(isValidResidentId(c.residentId)).toBe(true);
  });
});

describe('a foreign Patient', () => {
  const hh = foreign.find((h) => h.members.length >= 2) ?? foreign[0];
  const person = hh?.members[0] as ForeignPerson;
  const patient =
    hh &&
    patientResource({
      id: person.patientId,
      person,
      demo: demographicsOf(person, hh),
      institution: hh.chc,
      mrn: 'X-1',
    });

  it('has one official Latin name as on the passport and no pinyin name', () => {
    expect(patient?.name).toHaveLength(1);
    const name = patient?.name?.[0];
    expect(name?.use).toBe('official');
    expect(name?.family).toBe(person.name.family);
    expect(name?.given).toEqual(givenNames(person.name));
    expect(name?.text).toContain(person.name.given);
    expect(name?.text?.toLowerCase()).toContain(person.name.family.toLowerCase());
  });

  it('carries a passport under the passport system of its nationality and no resident ID', () => {
    const passport = patient?.identifier?.find((i) => i.type?.coding?.[0]?.code === 'PPN');
    expect(passport?.system).toBe(passportSystem(person.nationality));
    expect(passport?.system).toBe(`http://hl7.org/fhir/sid/passport-${person.nationality}`);
    expect(passport?.value).toBe(person.passport);
    expect(patient?.identifier?.some((i) => i.system === SYSTEMS.residentId)).toBe(false);
    expect(JSON.stringify(patient?.extension)).toContain(person.nationality);
  });

  it('carries the permanent residence ID under its system when the person holds one', () => {
    const holder = people.find((p) => p.permanentResidenceId !== undefined);
    const home = foreign.find((h) => h.members.includes(holder as ForeignPerson));
    expect(holder && home).toBeTruthy();
    if (!holder || !home) return;
    const p = patientResource({
      id: holder.patientId,
      person: holder,
      demo: demographicsOf(holder, home),
      institution: home.chc,
      mrn: 'X-2',
    });
    const pr = p.identifier?.find((i) => i.system === SYSTEMS.foreignPermanentResidence);
    expect(pr?.value).toBe(holder.permanentResidenceId);
    expect(pr?.type?.coding?.[0]?.code).toBe('PRC');
    expect(isValidResidentId(pr?.value ?? '')).toBe(true);
  });
});

describe('determinism', () => {
  it('builds the same foreign households from the same seed', () => {
    const again = [...sampleHouseholds('foreign', 1500)].filter((h) => h.members[0]?.kind === 'foreign');
    const first = foreign.filter((h) => h.index < 1500);
    expect(again.length).toBeGreaterThan(0);
    expect(JSON.stringify(again.map((h) => h.members))).toBe(JSON.stringify(first.map((h) => h.members)));
  });
});
