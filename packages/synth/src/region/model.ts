import type { District, Subdistrict } from '../data/districts.ts';

export type InstitutionKind = 'hospital' | 'chc' | 'village' | 'public-health';
export type StaffRole =
  | 'doctor'
  | 'nurse'
  | 'technician'
  | 'family-doctor'
  | 'village-doctor'
  | 'public-health';
export type DepartmentKey =
  | 'internal'
  | 'surgery'
  | 'paediatrics'
  | 'obstetrics'
  | 'emergency'
  | 'radiology'
  | 'laboratory'
  | 'general'
  | 'prevention';

export interface Staff {
  readonly practitionerId: string;
  readonly roleId: string;
  readonly family: string;
  readonly given: string;
  readonly gender: 'male' | 'female';
  readonly role: StaffRole;
  readonly birthYear: number;
  readonly licence: string;
}

export interface Department {
  readonly key: DepartmentKey;
  readonly id: string;
  readonly locationId: string;
  readonly name: string;
  readonly staff: Staff[];
}

/** 家庭医生团队: a GP, a nurse and a public-health doctor, as a CareTeam. */
export interface FamilyDoctorTeam {
  readonly id: string;
  readonly name: string;
  readonly doctor: Staff;
  readonly members: readonly Staff[];
}

export interface Institution {
  readonly id: string;
  readonly kind: InstitutionKind;
  readonly name: string;
  /** 三级甲等 … for hospitals. */
  readonly grade?: { readonly code: string; readonly zh: string };
  readonly district: District;
  readonly subdistrict: Subdistrict;
  readonly uscc: string;
  readonly locationId: string;
  readonly departments: Department[];
  readonly teams: FamilyDoctorTeam[];
}

export interface Region {
  readonly institutions: readonly Institution[];
  readonly hospitals: readonly Institution[];
  /** Community health centre / township hospital serving each subdistrict ("districtCode/subdistrict"). */
  readonly chcBySubdistrict: ReadonlyMap<string, Institution>;
  readonly villageBySubdistrict: ReadonlyMap<string, readonly Institution[]>;
  readonly hospitalsByDistrict: ReadonlyMap<string, readonly Institution[]>;
}

export function subdistrictKey(district: District, sub: Subdistrict): string {
  return `${district.code}/${sub.name}`;
}

export function department(inst: Institution, key: DepartmentKey): Department {
  const dept = inst.departments.find((d) => d.key === key) ?? inst.departments[0];
  if (!dept) throw new RangeError(`${inst.id} has no departments`);
  return dept;
}
