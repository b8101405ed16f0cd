import { type District, type Subdistrict, XIAMEN_DISTRICTS } from '../data/districts.ts';
import { buildUscc } from '../ids/uscc.ts';
import { drawGivenName, drawSurname, type NameTables } from '../population/names.ts';
import type { Rng } from '../random/prng.ts';
import {
  type Department,
  type DepartmentKey,
  type FamilyDoctorTeam,
  type Institution,
  type InstitutionKind,
  type Region,
  type Staff,
  type StaffRole,
  subdistrictKey,
} from './model.ts';

/** Institutions per 3.5 M residents (the defaults), scaled to the run. */
const PER_3_5M: Record<InstitutionKind, number> = {
  hospital: 22,
  chc: 38,
  village: 200,
  'public-health': 14,
};
const MINIMUM: Record<InstitutionKind, number> = {
  hospital: 2,
  chc: XIAMEN_DISTRICTS.length,
  village: 1,
  'public-health': 1,
};

const DEPT_NAMES: Record<DepartmentKey, string> = {
  internal: '内科',
  surgery: '外科',
  paediatrics: '儿科',
  obstetrics: '妇产科',
  emergency: '急诊科',
  radiology: '医学影像科',
  laboratory: '检验科',
  general: '全科医学科',
  prevention: '预防保健科',
};

const CN_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export function institutionCounts(residents: number): Record<InstitutionKind, number> {
  const scale = residents / 3_500_000;
  const count = (k: InstitutionKind) => Math.max(MINIMUM[k], Math.round(PER_3_5M[k] * scale));
  return {
    hospital: count('hospital'),
    chc: count('chc'),
    village: count('village'),
    'public-health': count('public-health'),
  };
}

/** Spreads `n` items over districts in proportion to population (largest remainder), ≥ `min` each. */
function apportion(n: number, districts: readonly District[], min: number): number[] {
  const total = districts.reduce((s, d) => s + d.population, 0);
  const base = districts.map((d) => Math.max(min, Math.floor((n * d.population) / total)));
  let left = n - base.reduce((a, b) => a + b, 0);
  const order = districts
    .map((_d, i) => i)
    .sort((a, b) => (districts[b]?.population ?? 0) - (districts[a]?.population ?? 0));
  for (let k = 0; left > 0; k++, left--) {
    const i = order[k % order.length] ?? 0;
    base[i] = (base[i] ?? 0) + 1;
  }
  return base;
}

interface Builder {
  readonly rng: Rng;
  readonly names: NameTables;
  serial: number;
}

function makeStaff(b: Builder, instId: string, role: StaffRole): Staff {
  const n = b.serial++;
  const gender =
    role === 'nurse' ? (b.rng.chance(0.95) ? 'female' : 'male') : b.rng.chance(0.55) ? 'male' : 'female';
  const birthYear = b.rng.int(1962, 1997);
  return {
    practitionerId: `prac-${instId.slice(4)}-${n}`,
    roleId: `role-${instId.slice(4)}-${n}`,
    family: drawSurname(b.rng, b.names),
    given: drawGivenName(b.rng, gender, birthYear),
    gender,
    role,
    birthYear,
    licence: `1${String(b.rng.int(10, 99))}350200${String(b.rng.int(0, 999999)).padStart(6, '0')}`,
  };
}

function makeDepartments(
  b: Builder,
  instId: string,
  spec: readonly [DepartmentKey, StaffRole, number][],
): Department[] {
  return spec.map(([key, role, count], i) => ({
    key,
    id: `${instId}-d${i + 1}`,
    locationId: `loc-${instId.slice(4)}-d${i + 1}`,
    name: DEPT_NAMES[key],
    staff: Array.from({ length: count }, (_, k) =>
      makeStaff(b, instId, k === count - 1 && count > 2 ? 'nurse' : role),
    ),
  }));
}

function hospitalDepartments(b: Builder, id: string, tertiary: boolean): Department[] {
  const n = tertiary ? 4 : 3;
  return makeDepartments(b, id, [
    ['internal', 'doctor', n],
    ['surgery', 'doctor', n],
    ['paediatrics', 'doctor', n - 1],
    ['obstetrics', 'doctor', n - 1],
    ['emergency', 'doctor', n - 1],
    ['radiology', 'technician', 2],
    ['laboratory', 'technician', 2],
  ]);
}

function familyDoctorTeams(
  b: Builder,
  id: string,
  name: string,
  general: Department,
  prevention: Department,
) {
  const teams: FamilyDoctorTeam[] = [];
  const nTeams = b.rng.int(2, 4);
  for (let t = 0; t < nTeams; t++) {
    const doctor = makeStaff(b, id, 'family-doctor');
    const nurse = makeStaff(b, id, 'nurse');
    const ph = makeStaff(b, id, 'public-health');
    general.staff.push(doctor, nurse);
    prevention.staff.push(ph);
    teams.push({
      id: `team-${id.slice(4)}-${t + 1}`,
      name: `${name}家庭医生${CN_NUMERALS[t]}团队`,
      doctor,
      members: [doctor, nurse, ph],
    });
  }
  return teams;
}

function base(
  id: string,
  kind: InstitutionKind,
  name: string,
  district: District,
  sub: Subdistrict,
  serial: number,
) {
  return {
    id,
    kind,
    name,
    district,
    subdistrict: sub,
    uscc: buildUscc(district.code, serial * 7919 + 13),
    locationId: `loc-${id.slice(4)}`,
  };
}

export function buildHospitals(b: Builder, count: number): Institution[] {
  const perDistrict = apportion(count, XIAMEN_DISTRICTS, 0);
  const out: Institution[] = [];
  XIAMEN_DISTRICTS.forEach((district, di) => {
    for (let k = 0; k < (perDistrict[di] ?? 0); k++) {
      const id = `org-h${out.length + 1}`;
      const tertiary = out.length % 5 < 2; // ~40 % 三级, the rest 二级
      const grade = tertiary
        ? { code: out.length % 5 === 0 ? '3A' : '3B', zh: out.length % 5 === 0 ? '三级甲等' : '三级乙等' }
        : { code: k % 2 === 0 ? '2A' : '2B', zh: k % 2 === 0 ? '二级甲等' : '二级乙等' };
      const name = `厦门市${district.name}第${k < 10 ? CN_NUMERALS[k] : String(k + 1)}医院`;
      const sub = b.rng.pick(district.subdistricts.filter((s) => !s.rural).concat(district.subdistricts));
      const departments = hospitalDepartments(b, id, tertiary);
      out.push({ ...base(id, 'hospital', name, district, sub, out.length), grade, departments, teams: [] });
    }
  });
  return out;
}

export function buildPrimaryCare(b: Builder, counts: Record<InstitutionKind, number>) {
  const chcs: Institution[] = [];
  const villages: Institution[] = [];
  const perDistrict = apportion(counts.chc, XIAMEN_DISTRICTS, 1);
  XIAMEN_DISTRICTS.forEach((district, di) => {
    for (let k = 0; k < (perDistrict[di] ?? 0); k++) {
      const sub = district.subdistricts[k % district.subdistricts.length] as Subdistrict;
      const id = `org-c${chcs.length + 1}`;
      const place = sub.rural ? `${sub.name}卫生院` : `${sub.name.replace('街道', '')}街道社区卫生服务中心`;
      const name = `厦门市${district.name}${place}${k >= district.subdistricts.length ? '分中心' : ''}`;
      const departments = makeDepartments(b, id, [
        ['general', 'doctor', 1],
        ['prevention', 'public-health', 1],
        ['laboratory', 'technician', 1],
      ]);
      const teams = familyDoctorTeams(
        b,
        id,
        name,
        departments[0] as Department,
        departments[1] as Department,
      );
      chcs.push({ ...base(id, 'chc', name, district, sub, 1000 + chcs.length), departments, teams });
    }
  });
  const rural = XIAMEN_DISTRICTS.flatMap((d) =>
    d.subdistricts.filter((s) => s.rural).map((s) => [d, s] as const),
  );
  for (let v = 0; v < counts.village; v++) {
    const [district, sub] = rural[v % rural.length] as readonly [District, Subdistrict];
    const id = `org-v${v + 1}`;
    const name = `厦门市${district.name}${sub.name}${villageName(b.rng)}村卫生所`;
    const departments = makeDepartments(b, id, [['general', 'village-doctor', b.rng.int(1, 2)]]);
    villages.push({ ...base(id, 'village', name, district, sub, 5000 + v), departments, teams: [] });
  }
  return { chcs, villages };
}

export function villageName(rng: Rng): string {
  return rng.pick([...'东西南北前后上下新金石竹莲溪田洋']) + rng.pick([...'坑林厝埔山头尾溪园洋兜']);
}

function buildPublicHealth(b: Builder, count: number): Institution[] {
  const out: Institution[] = [];
  for (let i = 0; i < count; i++) {
    const district = XIAMEN_DISTRICTS[i % XIAMEN_DISTRICTS.length] as District;
    const level = i === 0 ? '厦门市' : `厦门市${district.name}`;
    const kind = Math.floor(i / XIAMEN_DISTRICTS.length) % 3;
    const name = level + ['疾病预防控制中心', '妇幼保健院', '卫生健康监督所'][kind];
    const id = `org-p${i + 1}`;
    const departments = makeDepartments(b, id, [['prevention', 'public-health', 2]]);
    out.push({
      ...base(id, 'public-health', name, district, district.subdistricts[0] as Subdistrict, 9000 + i),
      departments,
      teams: [],
    });
  }
  return out;
}

/** Builds every institution of the region. Small (hundreds of objects), held in memory for the run. */
export function buildRegion(rng: Rng, names: NameTables, residents: number): Region {
  const b: Builder = { rng, names, serial: 1 };
  const counts = institutionCounts(residents);
  const hospitals = buildHospitals(b, counts.hospital);
  const { chcs, villages } = buildPrimaryCare(b, counts);
  const ph = buildPublicHealth(b, counts['public-health']);
  const chcBySubdistrict = new Map<string, Institution>();
  const villageBySubdistrict = new Map<string, Institution[]>();
  const hospitalsByDistrict = new Map<string, Institution[]>();
  for (const district of XIAMEN_DISTRICTS) {
    const local = chcs.filter((c) => c.district.code === district.code);
    district.subdistricts.forEach((sub, i) => {
      const own = local.find((c) => c.subdistrict.name === sub.name) ?? local[i % local.length];
      if (own) chcBySubdistrict.set(subdistrictKey(district, sub), own);
      const own2 = villages.filter(
        (v) => v.district.code === district.code && v.subdistrict.name === sub.name,
      );
      if (own2.length > 0) villageBySubdistrict.set(subdistrictKey(district, sub), own2);
    });
    hospitalsByDistrict.set(
      district.code,
      hospitals.filter((h) => h.district.code === district.code),
    );
  }
  return {
    institutions: [...hospitals, ...chcs, ...villages, ...ph],
    hospitals,
    chcBySubdistrict,
    villageBySubdistrict,
    hospitalsByDistrict,
  };
}
