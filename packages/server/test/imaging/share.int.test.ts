/**
 * Tele-consultation sharing (远程会诊, issue #6 scope 7) on the real platform: hospital h1 stores a
 * study over STOW-RS; a clinician of h2 without a care relationship sees nothing until h1 shares
 * it with `ImagingStudy/{id}/$share`, then finds and retrieves it over QIDO-RS and WADO-RS, cannot
 * pass it on, and loses it on `$unshare` or expiry. Also `GET /status/storage` (operators only).
 */
import type { Bundle, OperationOutcome, Parameters } from '@medplum/fhirtypes';
import { shareStudy } from '@yiyun/imaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessFixture, createAccessFixture } from '../access/access-fixture.ts';
import {
  ctInstance,
  type InstanceUids,
  parameters,
  qidoStudies,
  seedOrganizations,
  stow,
  wadoInstance,
} from './share-fixture.ts';

let fx: AccessFixture;
let pacsA: string;
let doctorA: string;
let doctorB: string;
let nurseA: string;
let adminB: string;
let operator: string;
let studyCount = 0;

beforeAll(async () => {
  fx = await createAccessFixture({ imaging: {} });
  await seedOrganizations(fx.store, { h1: '厦门市第一医院', h2: '同安区医院', h3: '思明区社区卫生服务中心' });
  pacsA = await fx.systemToken('pacs-h1', { organization: 'h1' });
  doctorA = (await fx.userToken({ username: 'share-doc-a', roles: ['clinician'], organization: 'h1' })).token;
  doctorB = (await fx.userToken({ username: 'share-doc-b', roles: ['clinician'], organization: 'h2' })).token;
  nurseA = (await fx.userToken({ username: 'share-nurse-a', roles: ['nurse'], organization: 'h1' })).token;
  adminB = (
    await fx.userToken({ username: 'share-admin-b', roles: ['institution-admin'], organization: 'h2' })
  ).token;
  operator = (await fx.userToken({ username: 'share-operator', roles: ['platform-admin'] })).token;
}, 120_000);

afterAll(async () => {
  await fx?.[Symbol.asyncDispose]();
});

/** A new study of h1 stored over STOW-RS by h1's PACS; its UIDs, bytes and ImagingStudy id. */
async function storedStudy(): Promise<{ uids: InstanceUids; bytes: Uint8Array; id: string }> {
  const n = ++studyCount;
  const study = `1.2.826.0.1.3680043.10.7${n}`;
  const uids = { study, series: `${study}.1`, sop: `${study}.1.1` };
  const bytes = await ctInstance(uids, `MRN-SHARE-${n}`);
  const stored = await stow(fx.origin, pacsA, [bytes]);
  expect(stored.status, await stored.clone().text()).toBe(200);
  const found = await fx.fhir(`ImagingStudy?identifier=urn:dicom:uid|urn:oid:${study}`, doctorA);
  const bundle = (await found.json()) as Bundle;
  const id = bundle.entry?.[0]?.resource?.id;
  if (!id) throw new Error(`no ImagingStudy for ${study}: ${JSON.stringify(bundle)}`);
  return { uids, bytes, id };
}

function operation(token: string, path: string, body: Record<string, Record<string, unknown>>) {
  return fx.fhir(path, token, { method: 'POST', body: parameters(body) });
}

const TO_H2 = { organization: { valueReference: { reference: 'Organization/h2' } } };
const REASON = { reason: { valueString: '远程会诊: 肺结节复核 (tele-consultation)' } };

async function outcomeOf(res: Response): Promise<string> {
  const body = (await res.json()) as OperationOutcome;
  expect(body.resourceType).toBe('OperationOutcome');
  return body.issue?.[0]?.diagnostics ?? '';
}

describe('ImagingStudy $share / $unshare', () => {
  it('grants another institution QIDO and WADO access until revoked', { timeout: 120_000 }, async () => {
    const { uids, bytes, id } = await storedStudy();
    // No care relationship: h2 finds nothing and cannot retrieve.
    expect(await qidoStudies(fx.origin, doctorB, uids.study)).toEqual([]);
    expect((await wadoInstance(fx.origin, doctorB, uids)).status).toBe(404);

    const shared = await operation(doctorA, `ImagingStudy/${id}/$share`, {
      ...TO_H2,
      ...REASON,
      days: { valueInteger: 1 },
    });
    expect(shared.status).toBe(200);
    const out = (await shared.json()) as Parameters;
    const value = (name: string) => out.parameter?.find((p) => p.name === name);
    expect(value('studyInstanceUid')?.valueOid).toBe(`urn:oid:${uids.study}`);
    expect(value('organization')?.valueReference?.reference).toBe('Organization/h2');
    const expires = new Date(value('expires')?.valueInstant ?? 0).getTime();
    expect(Math.abs(expires - (Date.now() + 86_400_000))).toBeLessThan(60_000);

    expect(await qidoStudies(fx.origin, doctorB, uids.study)).toEqual([uids.study]);
    const retrieved = await wadoInstance(fx.origin, doctorB, uids);
    expect(retrieved.status).toBe(200);
    expect(Buffer.from(await retrieved.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);

    // The grantee cannot pass the study on (it is not its custodian; it cannot see the ImagingStudy).
    const reshare = await operation(doctorB, `ImagingStudy/${id}/$share`, {
      organization: { valueReference: { reference: 'Organization/h3' } },
      ...REASON,
      days: { valueInteger: 1 },
    });
    expect(reshare.status).toBe(404);
    expect(await outcomeOf(reshare)).toContain('not found');
    expect((await operation(doctorB, `ImagingStudy/${id}/$unshare`, TO_H2)).status).toBe(404);

    const unshared = await operation(doctorA, `ImagingStudy/${id}/$unshare`, TO_H2);
    expect(unshared.status).toBe(200);
    const revoked = (await unshared.json()) as Parameters;
    expect(revoked.parameter?.find((p) => p.name === 'revoked')?.valueBoolean).toBe(true);
    expect(await qidoStudies(fx.origin, doctorB, uids.study)).toEqual([]);
    expect((await wadoInstance(fx.origin, doctorB, uids)).status).toBe(404);
    // Revoking again is a no-op.
    const again = (await (
      await operation(doctorA, `ImagingStudy/${id}/$unshare`, TO_H2)
    ).json()) as Parameters;
    expect(again.parameter?.find((p) => p.name === 'revoked')?.valueBoolean).toBe(false);
  });

  it('lets the custodian’s integration system share, and audits each operation', async () => {
    const { uids, id } = await storedStudy();
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const shared = await operation(pacsA, `ImagingStudy/${id}/$share`, {
      ...TO_H2,
      ...REASON,
      expires: { valueDateTime: expiresAt },
    });
    expect(shared.status, await shared.clone().text()).toBe(200);
    const answer = (await shared.json()) as Parameters;
    const patient = answer.parameter?.find((p) => p.name === 'patient')?.valueReference?.reference ?? '';
    expect(patient).toMatch(/^Patient\//);
    expect(await qidoStudies(fx.origin, doctorB, uids.study)).toEqual([uids.study]);
    await fx.audit.flush();
    // The grant is in the patient's own audit trail (who saw my records), not only the institution's.
    const page = await fx.audit.search({
      patient: [patient.slice('Patient/'.length)],
      count: 200,
      offset: 0,
    });
    const described = page.events.map((e) => JSON.stringify(e.entity ?? []));
    expect(described.some((e) => e.includes('$share') && e.includes(`ImagingStudy/${id}`))).toBe(true);
  });

  it('grants nothing once the share has expired', async () => {
    const { uids } = await storedStudy();
    const hourAgo = new Date(Date.now() - 3_600_000);
    await shareStudy(
      fx.store.database.sql,
      {
        study: uids.study,
        organization: 'h2',
        grantedBy: 'h1',
        reason: 'expired consultation',
        expiresAt: new Date(Date.now() - 60_000),
      },
      hourAgo,
    );
    expect(await qidoStudies(fx.origin, doctorB, uids.study)).toEqual([]);
    expect((await wadoInstance(fx.origin, doctorB, uids)).status).toBe(404);
  });

  it('refuses bad requests with an OperationOutcome', async () => {
    const { id } = await storedStudy();
    const share = (token: string, body: Record<string, Record<string, unknown>>, target = id) =>
      operation(token, `ImagingStudy/${target}/$share`, body);
    const tooLong = await share(doctorA, { ...TO_H2, ...REASON, days: { valueInteger: 91 } });
    expect(tooLong.status).toBe(400);
    expect(await outcomeOf(tooLong)).toContain('1 to 90');
    const far = new Date(Date.now() + 120 * 86_400_000).toISOString();
    expect((await share(doctorA, { ...TO_H2, ...REASON, expires: { valueDateTime: far } })).status).toBe(400);
    expect((await share(doctorA, { ...TO_H2, ...REASON })).status).toBe(400);
    expect((await share(doctorA, { ...TO_H2, days: { valueInteger: 1 } })).status).toBe(400);
    const unknownOrg = await share(doctorA, {
      organization: { valueReference: { reference: 'Organization/nowhere' } },
      ...REASON,
      days: { valueInteger: 1 },
    });
    expect(unknownOrg.status).toBe(422);
    expect(await outcomeOf(unknownOrg)).toContain('Organization/nowhere does not exist');
    const self = await share(doctorA, {
      organization: { valueReference: { reference: 'Organization/h1' } },
      ...REASON,
      days: { valueInteger: 1 },
    });
    expect(self.status).toBe(400);
    const missing = await share(doctorA, { ...TO_H2, ...REASON, days: { valueInteger: 1 } }, 'no-such-study');
    expect(missing.status).toBe(404);
    // A nurse of the custodian may read the study but not share it.
    const nurse = await share(nurseA, { ...TO_H2, ...REASON, days: { valueInteger: 1 } });
    expect(nurse.status).toBe(403);
    expect(await outcomeOf(nurse)).toContain('custodian institution');
    const get = await fx.fhir(`ImagingStudy/${id}/$share`, doctorA);
    expect(get.status).toBe(405);
  });
});

describe('GET /status/storage', () => {
  const status = (token?: string) =>
    fetch(`${fx.origin}/status/storage`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('answers the image store health to the platform operator and institution admins', async () => {
    await storedStudy();
    for (const token of [operator, adminB]) {
      const res = await status(token);
      expect(res.status).toBe(200);
      const health = (await res.json()) as {
        status: string;
        backends: { name: string; tier: string; ok: boolean }[];
        objects: number;
        replicas: number;
        cipher: string;
      };
      expect(health.status).toBe('ok');
      expect(health.backends.map((b) => [b.name, b.tier, b.ok])).toEqual([
        ['hot', 'hot', true],
        ['cold', 'cold', true],
      ]);
      expect(health.objects).toBeGreaterThan(0);
      expect(health).toMatchObject({ replicas: 2, cipher: 'aes-256-gcm' });
    }
  });

  it('refuses clinicians (403) and anonymous callers (401)', async () => {
    const res = await status(doctorA);
    expect(res.status).toBe(403);
    expect(await outcomeOf(res)).toContain('platform operator');
    expect((await status()).status).toBe(401);
  });
});
