/**
 * Access to the index (issue #6 scope 7): the FHIR access predicate over each study's access facts
 * — own institution, care relationship, the resident's own record — plus tele-consultation shares.
 * A study the caller may not see does not match, is not located and does not leak its existence.
 */
import type { Encounter, Patient } from '@medplum/fhirtypes';
import { withCustodian } from '@yiyun/fhir';
import type { Store } from '@yiyun/store';
import { createTestStore, linkPersons } from '@yiyun/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImagingCaller } from '../service/port.ts';
import {
  type ImagingFixture,
  institutionCaller,
  openImagingFixture,
  PLATFORM,
  part10,
  residentCaller,
} from '../service/test-support.ts';
import { revokeShare, shareStudy } from './share.ts';

const H1 = institutionCaller('h1');
const H2 = institutionCaller('h2');
const H3 = institutionCaller('h3');
const A1 = '1.2.826.0.2.1'; // h1's study of person 1
const B1 = '1.2.826.0.2.2'; // h2's study of person 1
const B2 = '1.2.826.0.2.3'; // h2's study of person 2
const DAY = 86_400_000;

let store: Store & AsyncDisposable;
let fx: ImagingFixture;

async function put(caller: ImagingCaller, study: string, patientId: string) {
  const bytes = await part10({
    PatientID: patientId,
    StudyInstanceUID: study,
    SeriesInstanceUID: `${study}.1`,
    SOPInstanceUID: `${study}.1.1`,
  });
  await fx.service.store(bytes, caller);
}

/** The FHIR Patient the index linked a study to. */
async function patientOf(study: string): Promise<string> {
  const rows = await store.database.sql<{ patient_id: string }[]>`
    select patient_id from imaging_study where study_uid = ${study}`;
  return rows[0]?.patient_id as string;
}

const studies = async (caller: ImagingCaller) =>
  (
    await fx.service.query(
      { level: 'study', match: new Map(), includeFields: [], fuzzyMatching: false },
      caller,
    )
  ).map((s) => s['0020000D']?.Value?.[0]);

/** h1 saw person 1 two days ago (an Encounter: a care relationship, issue #4). */
async function careAtH1(): Promise<void> {
  const pA = await patientOf(A1);
  const end = new Date(Date.now() - 2 * DAY).toISOString();
  const encounter: Encounter = {
    resourceType: 'Encounter',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: `Patient/${pA}` },
    serviceProvider: { reference: 'Organization/h1' },
    period: { start: end, end },
  };
  await store.repository().create(withCustodian(encounter, 'h1'));
}

beforeAll(async () => {
  store = await createTestStore({ registryPollMs: 0 });
  fx = await openImagingFixture(store);
  await put(H1, A1, 'P1-AT-H1');
  await put(H2, B1, 'P1-AT-H2');
  await put(H2, B2, 'P2-AT-H2');
  await linkPersons(store, [[await patientOf(A1), await patientOf(B1)], [await patientOf(B2)]]);
});

afterAll(async () => {
  await fx?.[Symbol.asyncDispose]();
  await store?.[Symbol.asyncDispose]();
});

describe('access', () => {
  it('an institution sees its own studies and not another’s, at every level and in locate', async () => {
    expect(await studies(H1)).toEqual([A1]);
    expect((await studies(H2)).sort()).toEqual([B1, B2]);
    expect(await studies(H3)).toEqual([]);
    const series = await fx.service.query(
      { level: 'series', match: new Map(), study: B1, includeFields: [], fuzzyMatching: false },
      H1,
    );
    expect(series).toEqual([]);
    expect(await fx.service.locate({ study: B1 }, H1)).toEqual([]);
    expect(await fx.service.locate({ study: A1 }, H1)).toHaveLength(1);
    expect((await studies(PLATFORM)).sort()).toEqual([A1, B1, B2]);
  });

  it('a care relationship makes another institution’s studies of the same person visible', async () => {
    await careAtH1();
    expect((await studies(H1)).sort()).toEqual([A1, B1]);
    expect(await fx.service.locate({ study: B1 }, H1)).toHaveLength(1);
    expect(await fx.service.locate({ study: B2 }, H1)).toEqual([]);
  });

  it('a resident sees only their own studies, at any institution', async () => {
    const pA = await patientOf(A1);
    expect((await studies(residentCaller(pA))).sort()).toEqual([A1, B1]);
    expect(await studies(residentCaller(await patientOf(B2)))).toEqual([B2]);
  });

  it('a share grants one study to one institution until it expires or is revoked', async () => {
    await expect(
      shareStudy(store.database.sql, {
        study: B2,
        organization: 'h3',
        grantedBy: 'h1',
        reason: '会诊',
        expiresAt: new Date(Date.now() + DAY),
      }),
    ).rejects.toMatchObject({ code: 'not-found' });
    await shareStudy(store.database.sql, {
      study: B2,
      organization: 'h3',
      grantedBy: 'h2',
      actor: 'dr-h2',
      reason: '影像会诊',
      expiresAt: new Date(Date.now() + DAY),
    });
    expect(await studies(H3)).toEqual([B2]);
    expect(await fx.service.locate({ study: B2 }, H3)).toHaveLength(1);
    expect(await studies(H1)).not.toContain(B2);
    // A patient-context launch at the grantee still sees only that patient.
    const narrowed: ImagingCaller = {
      ...H3,
      scope: { ...H3.scope, kind: 'restricted', nonPatientData: false, person: await patientOf(A1) },
    };
    expect(await studies(narrowed)).toEqual([]);
    expect(await revokeShare(store.database.sql, { study: B2, organization: 'h3', revokedBy: 'h2' })).toBe(
      true,
    );
    expect(await studies(H3)).toEqual([]);
    expect(await revokeShare(store.database.sql, { study: B2, organization: 'h3', revokedBy: 'h2' })).toBe(
      false,
    );
  });

  it('an expired share shows nothing; bad grants are invalid', async () => {
    await shareStudy(store.database.sql, {
      study: B2,
      organization: 'h3',
      grantedBy: 'h2',
      reason: '会诊',
      expiresAt: new Date(Date.now() + 1000),
    });
    await store.database
      .sql`update imaging_share set expires_at = now() - interval '1 second' where study_uid = ${B2}`;
    expect(await studies(H3)).toEqual([]);
    const past = {
      study: B2,
      organization: 'h3',
      grantedBy: 'h2',
      reason: 'x',
      expiresAt: new Date(Date.now() - 1),
    };
    await expect(shareStudy(store.database.sql, past)).rejects.toMatchObject({ code: 'invalid' });
  });

  it('audits each operation once with the studies and patients involved', async () => {
    const before = fx.audit.events.length;
    await studies(H2);
    const events = fx.audit.events.slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'query',
      outcome: 'success',
      detail: { level: 'study', count: 2 },
    });
    expect([...(events[0]?.studyUids ?? [])].sort()).toEqual([B1, B2]);
    expect(events[0]?.patientIds).toHaveLength(2);
    const stores = fx.audit.events.filter((e) => e.action === 'store');
    expect(stores[0]).toMatchObject({
      studyUids: [A1],
      patientIds: [await patientOf(A1)],
      outcome: 'success',
    });
  });

  it('ImagingStudy labels narrow care-relationship access like any FHIR record', async () => {
    await careAtH1();
    expect(await studies(H1)).toContain(B1);
    // Label h2's study of person 1 as mental health (sensitive): without consent h1 no longer sees it.
    const id = (
      await store.database.sql<{ imaging_study_id: string }[]>`
      select imaging_study_id from imaging_study where study_uid = ${B1}`
    )[0]?.imaging_study_id as string;
    const repo = store.repository();
    const study = await repo.read('ImagingStudy', id);
    await repo.update({
      ...study,
      meta: {
        ...study.meta,
        security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PSY' }],
      },
    });
    const bytes = await part10({
      PatientID: 'P1-AT-H2',
      StudyInstanceUID: B1,
      SeriesInstanceUID: `${B1}.2`,
      SOPInstanceUID: `${B1}.2.1`,
      SeriesNumber: 2,
    });
    await fx.service.store(bytes, H2);
    expect(await studies(H1)).toEqual([A1]);
    const patient = (await repo.read('Patient', await patientOf(B1))) as Patient;
    expect(patient.meta?.tag?.some((t) => t.code === 'h2')).toBe(true);
  });
});
