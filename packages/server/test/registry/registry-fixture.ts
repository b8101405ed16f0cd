/**
 * The platform as `yiyun serve` composes it for the resident registry (issue #5) — a fresh store of
 * the kind YIYUN_TEST_STORE names, the ResidentRegistry linking every Patient write, health cards,
 * the audit log and the real access policy — called in process (`app.request`). A bearer token is
 * the name of a principal the test declares, so each test says exactly who calls; the OIDC sign-in
 * itself is tested in `test/auth/` and `test/access/`.
 */
import { randomBytes } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import { type AuditLog, authorize, openAuditLog, type Principal, type Role } from '@yiyun/auth';
import { type HealthCardService, openHealthCards, pgPersonDirectory, ResidentRegistry } from '@yiyun/mpi';
import type { Store } from '@yiyun/store';
import { createTestStore } from '@yiyun/store/testing';
import pino from 'pino';
import { createPlatform } from '../../src/platform.ts';

export const ORIGIN = 'http://test.local';
/** `iss` of the fixture's health card QR payloads. */
export const CARD_ISSUER = `${ORIGIN}/health-card`;

/** A signed-in staff member or resident; `extra` sets `organization`, `patient`, `scopes` … */
export const user = (subject: string, roles: Role[], extra: Partial<Principal> = {}): Principal => ({
  kind: 'user',
  subject,
  clientId: 'portal',
  roles,
  scopes: ['user/*.cruds'],
  ...extra,
});

/** A client-credentials client: a hospital system acting for `organization`, or the platform's own. */
export const system = (clientId: string, organization?: string): Principal => ({
  kind: 'system',
  subject: clientId,
  clientId,
  roles: ['integration-system'],
  scopes: ['system/*.cruds'],
  ...(organization ? { organization } : {}),
});

export interface RegistryFixture extends AsyncDisposable {
  readonly store: Store;
  readonly registry: ResidentRegistry;
  readonly cards: HealthCardService;
  readonly audit: AuditLog;
  /** `path` under the FHIR base; `token` names a principal. A body is sent as FHIR JSON. */
  fhir(path: string, token: string | undefined, init?: RequestInit): Promise<Response>;
  /** PUTs `resource` as `token`; returns the status (201 created, 200 updated). */
  put(resource: Resource, token: string): Promise<number>;
  /** The regional person the linker put a Patient record under. */
  personOf(patientId: string): Promise<string>;
}

export async function createRegistryFixture(
  principals: Readonly<Record<string, Principal>>,
): Promise<RegistryFixture> {
  const store = await createTestStore({ registryPollMs: 0 });
  const { sql } = store.database;
  const audit = await openAuditLog({ sql });
  const registry = await ResidentRegistry.open({ database: store.database });
  const cards = await openHealthCards({
    sql,
    keyEncryptionKey: randomBytes(32),
    issuer: CARD_ISSUER,
    areaCode: '350203',
  });
  const platform = createPlatform({
    store,
    registry,
    cards,
    logger: pino({ level: process.env['YIYUN_TEST_LOG'] ?? 'silent' }),
    config: {
      baseUrl: ORIGIN,
      dataDir: '/nonexistent-yiyun-test',
      maxBodyBytes: 1 << 20,
      maxUploadBytes: 1 << 20,
      importAllowedOrigins: [],
      defaultCount: 20,
      maxCount: 100,
    },
    auth: {
      verify: async (token) => {
        const principal = principals[token];
        if (!principal) throw new Error('unknown test token');
        return principal;
      },
      authorize: (principal) => authorize(principal),
      audit,
    },
  });
  const persons = pgPersonDirectory(sql);
  const fhir = async (path: string, token: string | undefined, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
    if (init.body) headers.set('content-type', 'application/fhir+json');
    return platform.app.request(`/fhir/R4/${path}`, { ...init, headers });
  };
  return {
    store,
    registry,
    cards,
    audit,
    fhir,
    async put(resource, token) {
      const path = `${resource.resourceType}/${resource.id}`;
      return (await fhir(path, token, { method: 'PUT', body: JSON.stringify(resource) })).status;
    },
    async personOf(patientId) {
      const person = await persons.personOfPatient(patientId);
      if (!person) throw new Error(`Patient/${patientId} is not linked to a person`);
      return person;
    },
    async [Symbol.asyncDispose]() {
      await platform.stop();
      await audit.close();
      await store[Symbol.asyncDispose]();
    },
  };
}
