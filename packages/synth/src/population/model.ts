import type { District, Subdistrict } from '../data/districts.ts';
import type { Institution } from '../region/model.ts';

export type Sex = 'male' | 'female';
export type Relationship = 'head' | 'spouse' | 'child' | 'parent' | 'other';

interface PersonBase {
  /** Ground-truth person id, e.g. "per-12-0". */
  readonly key: string;
  /** Primary Patient id, e.g. "pat-12-0". */
  readonly patientId: string;
  readonly sex: Sex;
  readonly birthDay: number;
  readonly deathDay: number | undefined;
  readonly phone: string;
  readonly relationship: Relationship;
}

/** A resident holding a 居民身份证: name in characters and pinyin. */
export interface CitizenPerson extends PersonBase {
  readonly kind: 'citizen';
  readonly family: string;
  readonly given: string;
  readonly familyPinyin: string;
  readonly givenPinyin: string;
  readonly residentId: string;
  readonly healthCard: string;
  /** Born in another place (its ID number carries that area code). */
  readonly migrant: boolean;
}

/** A name in Latin script as a passport prints it. */
export interface LatinName {
  readonly family: string;
  /** The given (first) name; may be hyphenated or two words ("Jean-Pierre", "Wei Ming"). */
  readonly given: string;
  readonly middle: string | undefined;
  /** The middle name is written before the given name (Vietnamese "Văn Hùng"). */
  readonly middleFirst: boolean;
  /** Written family name first ("KIM Min-jun"); else given first ("John Michael Smith"). */
  readonly familyFirst: boolean;
}

/** A foreign national living in the region: passport, maybe a permanent residence ID, no 居民身份证. */
export interface ForeignPerson extends PersonBase {
  readonly kind: 'foreign';
  /** ISO 3166-1 alpha-3. */
  readonly nationality: string;
  readonly name: LatinName;
  readonly passport: string;
  /** 外国人永久居留身份证 number, for the ≈ 30 % who hold one. */
  readonly permanentResidenceId: string | undefined;
  /** Issued only to permanent residents (the card is tied to an identity number registered in China). */
  readonly healthCard: string | undefined;
}

/** One true person (the ground truth behind one or more Patient records). */
export type Person = CitizenPerson | ForeignPerson;

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
