import type { District, Subdistrict } from '../data/districts.ts';
import type { Institution } from '../region/model.ts';

export type Sex = 'male' | 'female';
export type Relationship = 'head' | 'spouse' | 'child' | 'parent' | 'other';

/** One true person (the ground truth behind one or more Patient records). */
export interface Person {
  /** Ground-truth person id, e.g. "per-12-0". */
  readonly key: string;
  /** Primary Patient id, e.g. "pat-12-0". */
  readonly patientId: string;
  readonly sex: Sex;
  readonly birthDay: number;
  readonly deathDay: number | undefined;
  readonly family: string;
  readonly given: string;
  readonly familyPinyin: string;
  readonly givenPinyin: string;
  readonly residentId: string;
  readonly healthCard: string;
  readonly phone: string;
  readonly relationship: Relationship;
  /** Born in another place (its ID number carries that area code). */
  readonly migrant: boolean;
}

export interface Household {
  readonly index: number;
  readonly district: District;
  readonly subdistrict: Subdistrict;
  readonly community: string;
  /** Building and room, e.g. "12号楼502室" or "38号". */
  readonly dwelling: string;
  readonly phone: string;
  readonly members: readonly Person[];
  readonly chc: Institution;
  readonly village: Institution | undefined;
  /** Hospitals the household uses, nearest first. */
  readonly hospitals: readonly Institution[];
}
