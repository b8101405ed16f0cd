import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { type AccessFixture, createAccessFixture } from '../../server/test/access/access-fixture.ts';
import { seedOrganizations, stow } from '../../server/test/imaging/share-fixture.ts';
import { DIST_DIR } from './harness.ts';
import type { TestInstance } from './viewer-studies.ts';

/**
 * The real platform as `yiyun serve` composes it (identity provider, accounts, audit log, access
 * policy, the cloud PACS with two encrypted replicas, the built web app at /app/) on 127.0.0.1,
 * with two hospitals: h1 stores images through its PACS (an integration system); a clinician of h1
 * may view them, a clinician of h2 has no care relationship and may not.
 */
export interface ViewerPlatform extends AsyncDisposable {
  readonly origin: string;
  readonly fixture: AccessFixture;
  /** A clinician of h1, the hospital that stored the studies. */
  readonly clinician: { readonly token: string; readonly accountId: string };
  /** A clinician of h2: another institution, no care relationship, no share. */
  readonly outsider: { readonly token: string; readonly accountId: string };
  /** The platform operator (reads the whole audit trail). */
  readonly operatorToken: string;
  /** AuditEvents recorded for an account (FHIR `AuditEvent?agent=`, as the operator). */
  auditEventsOf(accountId: string): Promise<AuditEvent[]>;
}

export const HOSPITAL = 'h1';
export const OTHER_HOSPITAL = 'h2';

/** STOW-RS (PS3.18 §10.5) through `/dicomweb/studies`, one request per study; fails on any failure. */
async function storeAll(origin: string, token: string, instances: readonly TestInstance[]): Promise<void> {
  const byStudy = Map.groupBy(instances, (i) => i.study);
  for (const [study, group] of byStudy) {
    const res = await stow(
      origin,
      token,
      group.map((i) => i.bytes),
    );
    const body = await res.text();
    if (res.status !== 200) throw new Error(`STOW-RS of ${study}: ${res.status} ${body}`);
  }
}

export async function openViewerPlatform(instances: readonly TestInstance[]): Promise<ViewerPlatform> {
  const fixture = await createAccessFixture({ imaging: {}, webDir: DIST_DIR, maxBodyBytes: 64 << 20 });
  try {
    await seedOrganizations(fixture.store, { [HOSPITAL]: '厦门市第一医院', [OTHER_HOSPITAL]: '同安区医院' });
    const pacs = await fixture.systemToken('pacs-h1', { organization: HOSPITAL });
    await storeAll(fixture.origin, pacs, instances);
    const clinician = await fixture.userToken({
      username: 'viewer-doctor-h1',
      roles: ['clinician'],
      organization: HOSPITAL,
    });
    const outsider = await fixture.userToken({
      username: 'viewer-doctor-h2',
      roles: ['clinician'],
      organization: OTHER_HOSPITAL,
    });
    const operator = await fixture.userToken({ username: 'viewer-operator', roles: ['platform-admin'] });
    return {
      origin: fixture.origin,
      fixture,
      clinician,
      outsider,
      operatorToken: operator.token,
      async auditEventsOf(accountId) {
        await fixture.audit.flush();
        const res = await fixture.fhir(
          `AuditEvent?agent=${encodeURIComponent(accountId)}&_count=200`,
          operator.token,
        );
        if (res.status !== 200) throw new Error(`AuditEvent search: ${res.status} ${await res.text()}`);
        const bundle = (await res.json()) as Bundle<AuditEvent>;
        return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
      },
      [Symbol.asyncDispose]: () => fixture[Symbol.asyncDispose](),
    };
  } catch (error) {
    await fixture[Symbol.asyncDispose]();
    throw error;
  }
}
