import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import type { Role } from '@yiyun/auth';
import { withCustodian } from '@yiyun/fhir';
import { type AccessFixture, createAccessFixture } from '../../server/test/access/access-fixture.ts';
import { ctInstance, stow } from '../../server/test/imaging/share-fixture.ts';
import { DIST_DIR } from './harness.ts';

/**
 * A small synthetic region for the portal's end-to-end tests, on the real platform as `yiyun serve`
 * composes it (identity provider with its sign-in pages, accounts, access policy, audit log,
 * resident registry, cloud PACS, the built app at /app/):
 * - 厦门市第一医院 (h1), 思明区滨海社区卫生服务中心 (c1), 同安区医院 (h2);
 * - 张伟: records at h1 (an open encounter: the h1 doctor's care relationship) and at c1 (chronic
 *   care: blood pressure, glucose, HbA1c over two years, hypertension and diabetes, and a
 *   depression diagnosis, a sensitive category he has not chosen to share), a CT study at h1;
 *   and a resident health card issued at c1;
 * - 李秀英: only at h2, no relationship with anyone at h1 (found only through break-the-glass);
 * - 陈建国: 2,000 results at c1 (the long-record performance figure);
 * - 陈建华 (h1) and 陈建化 (h2): the same birth date and sex, a possible duplicate for review.
 * Accounts (password `PASSWORD` of the server's oidc-fixture): one per role.
 */

export const ID_SYSTEM = 'https://yiyun.dev/fhir/sid/cn-resident-id';

/** GB 11643-1999 check character (ISO 7064 MOD 11-2) of a 17-digit body. */
export function residentId(body17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body17 + '10X98765432'[sum % 11];
}

export const ZHANG = {
  name: '张伟',
  pinyin: 'zhang wei',
  id: residentId('35020319580307123'),
  phone: '13912345678',
  h1: 'zw-h1',
  c1: 'zw-c1',
  study: '2.25.118800330000000000000000000000000001',
  sensitive: '抑郁发作',
};
export const LI = { name: '李秀英', id: residentId('35021219620512234'), h2: 'lxy-h2' };
export const CHEN = { name: '陈建国', id: residentId('35020619700101321'), c1: 'cjg-c1', results: 2000 };

export const ACCOUNTS = {
  doctor: {
    username: 'wangfang',
    roles: ['clinician'],
    organization: 'h1',
    practitioner: 'pr-wang',
    displayName: '王芳',
  },
  familyDoctor: { username: 'linli', roles: ['family-doctor'], organization: 'c1', displayName: '林丽' },
  nurse: { username: 'nurse-h1', roles: ['nurse'], organization: 'h1', displayName: '陈护士' },
  resident: { username: 'zhangwei', roles: ['resident'], patient: ZHANG.c1, displayName: '张伟' },
  hospitalAdmin: {
    username: 'h1-admin',
    roles: ['institution-admin'],
    organization: 'h1',
    displayName: '医院管理员',
  },
  operator: { username: 'operator', roles: ['platform-admin'], displayName: '平台管理员' },
  analyst: {
    username: 'analyst',
    roles: ['public-health-analyst'],
    organization: 'cdc',
    displayName: '公卫分析员',
  },
} as const satisfies Record<
  string,
  {
    username: string;
    roles: Role[];
    organization?: string;
    patient?: string;
    practitioner?: string;
    displayName: string;
  }
>;

const LOINC = 'http://loinc.org';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';

const patient = (id: string, org: string, name: string, extra: Record<string, unknown>) => ({
  resourceType: 'Patient',
  id,
  name: [{ text: name }],
  managingOrganization: { reference: `Organization/${org}` },
  ...extra,
});

const observation = (
  id: string,
  subject: string,
  date: string,
  code: string,
  text: string,
  value: number,
  unit: string,
) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }],
    },
  ],
  code: { text, coding: [{ system: LOINC, code }] },
  subject: { reference: `Patient/${subject}` },
  effectiveDateTime: date,
  valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
});

const bloodPressure = (id: string, subject: string, date: string, sys: number, dia: number) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }],
    },
  ],
  code: { text: '血压', coding: [{ system: LOINC, code: '85354-9' }] },
  subject: { reference: `Patient/${subject}` },
  effectiveDateTime: date,
  component: [
    {
      code: { text: '收缩压', coding: [{ system: LOINC, code: '8480-6' }] },
      valueQuantity: { value: sys, unit: 'mmHg' },
    },
    {
      code: { text: '舒张压', coding: [{ system: LOINC, code: '8462-4' }] },
      valueQuantity: { value: dia, unit: 'mmHg' },
    },
  ],
});

const condition = (id: string, subject: string, date: string, code: string, text: string) => ({
  resourceType: 'Condition',
  id,
  clinicalStatus: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
  },
  code: { text, coding: [{ system: ICD10, code, display: text }] },
  subject: { reference: `Patient/${subject}` },
  recordedDate: date,
});

const encounter = (id: string, subject: string, org: string, start: string, status: string) => ({
  resourceType: 'Encounter',
  id,
  status,
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: '门诊' },
  type: [{ text: '门诊' }],
  subject: { reference: `Patient/${subject}` },
  serviceProvider: { reference: `Organization/${org}` },
  period: { start, ...(status === 'finished' ? { end: start } : {}) },
});

const month = (i: number) =>
  `20${25 + Math.floor((i + 1) / 12)}-${String(((i + 1) % 12) + 1).padStart(2, '0')}-15`;

export interface PortalRegion extends AsyncDisposable {
  readonly fixture: AccessFixture;
  readonly origin: string;
}

async function putAll(fx: AccessFixture, token: string, resources: readonly Record<string, unknown>[]) {
  const entry: BundleEntry[] = resources.map((r) => ({
    resource: r as unknown as Resource,
    request: { method: 'PUT', url: `${r['resourceType']}/${r['id']}` },
  }));
  for (let i = 0; i < entry.length; i += 500) {
    const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: entry.slice(i, i + 500) };
    const res = await fetch(fx.fhirBase, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(bundle),
    });
    if (res.status !== 200) throw new Error(`seed: ${res.status} ${await res.text()}`);
  }
}

export async function openPortalRegion(): Promise<PortalRegion> {
  const fixture = await createAccessFixture({ imaging: {}, webDir: DIST_DIR, maxBodyBytes: 64 << 20 });
  try {
    const platform = await fixture.systemToken('platform');
    await putAll(fixture, platform, [
      // Each institution holds its own directory entry (its admin edits it), as the demo region does.
      ...[
        { id: 'h1', name: '厦门市第一医院' },
        { id: 'c1', name: '思明区滨海社区卫生服务中心' },
        { id: 'h2', name: '同安区医院' },
        { id: 'cdc', name: '厦门市疾病预防控制中心' },
      ].map((o) => withCustodian({ resourceType: 'Organization', ...o }, o.id) as Record<string, unknown>),
      { resourceType: 'Practitioner', id: 'pr-wang', name: [{ family: '王', given: ['芳'] }] },
    ]);
    const h1 = await fixture.systemToken('his-h1', { organization: 'h1' });
    const c1 = await fixture.systemToken('his-c1', { organization: 'c1' });
    const h2 = await fixture.systemToken('his-h2', { organization: 'h2' });
    const zhangIds = {
      identifier: [{ system: ID_SYSTEM, value: ZHANG.id }],
      gender: 'male',
      birthDate: '1958-03-07',
    };
    const phone = { telecom: [{ system: 'phone', value: ZHANG.phone }] };
    await putAll(fixture, h1, [
      patient(ZHANG.h1, 'h1', ZHANG.name, zhangIds),
      encounter('enc-zw-h1', ZHANG.h1, 'h1', '2026-11-30T09:00:00+08:00', 'in-progress'),
      condition('cond-zw-dm', ZHANG.h1, '2025-05-20', 'E11.9', '2型糖尿病'),
      ...[0, 8, 16].map((m, i) =>
        observation(`a1c-zw-${i}`, ZHANG.h1, month(m), '4548-4', '糖化血红蛋白', [8.1, 7.4, 6.9][i]!, '%'),
      ),
      patient('cjh-h1', 'h1', '陈建华', { gender: 'male', birthDate: '1971-08-09' }),
    ]);
    await putAll(fixture, c1, [
      patient(ZHANG.c1, 'c1', ZHANG.name, { ...zhangIds, ...phone }),
      encounter('enc-zw-c1', ZHANG.c1, 'c1', '2026-10-10T09:00:00+08:00', 'finished'),
      condition('cond-zw-htn', ZHANG.c1, '2024-12-01', 'I10', '原发性高血压'),
      condition('cond-zw-f32', ZHANG.c1, '2025-09-01', 'F32.9', ZHANG.sensitive),
      ...Array.from({ length: 8 }, (_, i) =>
        bloodPressure(`bp-zw-${i}`, ZHANG.c1, month(i * 3), 158 - i * 3, 98 - i * 2),
      ),
      ...Array.from({ length: 6 }, (_, i) =>
        observation(
          `glu-zw-${i}`,
          ZHANG.c1,
          month(i * 4),
          '14771-0',
          '空腹血糖',
          [8.6, 7.9, 7.5, 7.1, 6.8, 6.5][i]!,
          'mmol/L',
        ),
      ),
      patient(CHEN.c1, 'c1', CHEN.name, {
        identifier: [{ system: ID_SYSTEM, value: CHEN.id }],
        gender: 'male',
        birthDate: '1970-01-01',
      }),
      ...Array.from({ length: CHEN.results }, (_, i) =>
        observation(
          `glu-cjg-${i}`,
          CHEN.c1,
          new Date(Date.UTC(2021, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
          '14771-0',
          '空腹血糖',
          5 + (i % 30) / 10,
          'mmol/L',
        ),
      ),
    ]);
    await putAll(fixture, h2, [
      patient(LI.h2, 'h2', LI.name, {
        identifier: [{ system: ID_SYSTEM, value: LI.id }],
        gender: 'female',
        birthDate: '1962-05-12',
      }),
      encounter('enc-lxy-h2', LI.h2, 'h2', '2026-09-01T10:00:00+08:00', 'finished'),
      condition('cond-lxy', LI.h2, '2026-09-01', 'J44.9', '慢性阻塞性肺疾病'),
      patient('cjh-h2', 'h2', '陈建化', { gender: 'male', birthDate: '1971-08-09' }),
    ]);
    // A CT study of 张伟 from h1's PACS (Patient ID = the platform's id of his h1 record).
    const pacs = await fixture.systemToken('pacs-h1', { organization: 'h1' });
    const ct = await ctInstance(
      { study: ZHANG.study, series: `${ZHANG.study}.1`, sop: `${ZHANG.study}.1.1` },
      ZHANG.h1,
    );
    const stored = await stow(fixture.origin, pacs, [ct]);
    if (stored.status !== 200) throw new Error(`STOW-RS: ${stored.status} ${await stored.text()}`);
    // 张伟 registered for a health card at his community centre.
    const issued = await fetch(`${fixture.fhirBase}/Patient/${ZHANG.c1}/$health-card-issue`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c1}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Parameters' }),
    });
    if (issued.status !== 200 && issued.status !== 201)
      throw new Error(`health card: ${issued.status} ${await issued.text()}`);
    for (const account of Object.values(ACCOUNTS)) await fixture.createAccount(account);
    return { fixture, origin: fixture.origin, [Symbol.asyncDispose]: () => fixture[Symbol.asyncDispose]() };
  } catch (error) {
    await fixture[Symbol.asyncDispose]();
    throw error;
  }
}
