/**
 * The whole platform as `yiyun serve` composes it — identity provider, accounts, audit log, access
 * policy — on one Node server on 127.0.0.1, on a fresh store of the kind YIYUN_TEST_STORE names.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessPolicyConfig, AccountStore, AuditLog, IdentityProvider, Role } from '@yiyun/auth';
import { type HealthCardService, openHealthCards, ResidentRegistry } from '@yiyun/mpi';
import type { Store } from '@yiyun/store';
import { createTestStore } from '@yiyun/store/testing';
import pino from 'pino';
import {
  createNodeListener,
  createPlatform,
  ensureWebClient,
  type Imaging,
  type ImagingConfig,
  openImaging,
  openSecurity,
  type Platform,
} from '../../src/index.ts';
import { Browser, type OidcFixture, PASSWORD } from '../auth/oidc-fixture.ts';
import { registerApp, authorize as signIn } from '../auth/oidc-login.ts';

export interface AccessFixture extends AsyncDisposable {
  readonly origin: string;
  readonly fhirBase: string;
  readonly store: Store;
  readonly idp: IdentityProvider;
  readonly audit: AuditLog;
  readonly accounts: AccountStore;
  readonly platform: Platform;
  readonly registry: ResidentRegistry;
  /** 居民健康卡 (the `$health-card-*` operations). */
  readonly cards: HealthCardService;
  /** The cloud PACS (DICOMweb at `${origin}/dicomweb`), when asked for with `imaging`. */
  readonly imaging?: Imaging;
  /** Creates an account (password `PASSWORD` of oidc-fixture) and returns its id. */
  createAccount(user: NewUser): Promise<string>;
  /** Signs a new account in through the authorization-code flow and returns its access token. */
  userToken(user: {
    username: string;
    roles: readonly Role[];
    organization?: string;
    patient?: string;
    scope?: string;
  }): Promise<{ token: string; accountId: string }>;
  /** A client-credentials token for a system client. */
  systemToken(clientId: string, options?: { organization?: string; scope?: string }): Promise<string>;
  fhir(path: string, token: string | undefined, init?: RequestInit): Promise<Response>;
}

interface NewUser {
  readonly username: string;
  readonly roles: readonly Role[];
  readonly organization?: string;
  readonly patient?: string;
  readonly practitioner?: string;
  readonly displayName?: string;
}

export const POLICY: AccessPolicyConfig = { careWindowDays: 90, defaultShare: true, breakGlassMinutes: 30 };

export interface AccessFixtureOptions {
  /** Compose the cloud PACS too (image tiers in a temp directory unless set): DICOMweb at /dicomweb. */
  readonly imaging?: Partial<Omit<ImagingConfig, 'dataDir'>>;
  /** Serve the built web app (packages/web/dist) at /app/. */
  readonly webDir?: string;
  /** Largest request body (default 8 MiB). */
  readonly maxBodyBytes?: number;
}

export async function createAccessFixture(options: AccessFixtureOptions = {}): Promise<AccessFixture> {
  const store = await createTestStore({ registryPollMs: 0 });
  const logger = pino({ level: process.env['YIYUN_TEST_LOG'] ?? 'silent' });
  let handler: Parameters<typeof createServer>[1] = (_req, res) => res.writeHead(503).end();
  const server: Server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const security = await openSecurity({
    database: store.database,
    issuer: origin,
    logger,
    cookieKeys: [randomBytes(32).toString('base64url')],
    keyEncryptionKey: randomBytes(32),
    policy: POLICY,
    pollMs: 200,
  });
  const { accounts, audit, idp } = security;
  const registry = await ResidentRegistry.open({ database: store.database });
  const cards = await openHealthCards({
    sql: store.database.sql,
    keyEncryptionKey: randomBytes(32),
    issuer: origin,
    areaCode: '350203',
  });
  const imagingDir = options.imaging ? await mkdtemp(join(tmpdir(), 'yiyun-images-')) : undefined;
  const imaging = imagingDir
    ? await openImaging({
        store,
        residentRegistry: registry,
        config: { imageReplicas: 2, imageCipher: 'aes-256-gcm', ...options.imaging, dataDir: imagingDir },
        derivedMasterKey: randomBytes(32),
        audit,
        logger,
        baseUrl: origin,
      })
    : undefined;
  const platform = createPlatform({
    store,
    registry,
    cards,
    logger,
    config: {
      baseUrl: origin,
      dataDir: '/nonexistent-yiyun-test',
      maxBodyBytes: options.maxBodyBytes ?? 8 * 1024 * 1024,
      maxUploadBytes: options.maxBodyBytes ?? 8 * 1024 * 1024,
      importAllowedOrigins: [],
      defaultCount: 20,
      maxCount: 1000,
    },
    auth: security.auth,
    ...(imaging ? { imaging } : {}),
    ...(options.webDir ? { webDir: options.webDir } : {}),
  });
  handler = createNodeListener({ app: platform.app, identity: idp });
  const fhirBase = `${origin}/fhir/R4`;
  await registerApp(
    { origin, fhirBase, idp } as unknown as OidcFixture,
    'portal',
    'openid fhirUser user/*.cruds patient/*.cruds launch/patient',
    true,
  );
  if (options.webDir) await ensureWebClient(idp, origin);
  const createAccount = async (user: NewUser) =>
    (
      await accounts.create({
        username: user.username,
        password: PASSWORD,
        kind: user.roles.includes('resident') ? 'resident' : 'staff',
        displayName: user.displayName ?? '测试',
        roles: user.roles,
        ...(user.organization ? { organization: user.organization } : {}),
        ...(user.patient ? { patient: user.patient } : {}),
        ...(user.practitioner ? { practitioner: user.practitioner } : {}),
      })
    ).id;
  const fixture: AccessFixture = {
    origin,
    fhirBase,
    store,
    idp,
    audit,
    accounts,
    platform,
    registry,
    cards,
    ...(imaging ? { imaging } : {}),
    createAccount,
    async userToken(user) {
      const accountId = await createAccount(user);
      const { tokens } = await signIn({ origin, fhirBase } as unknown as OidcFixture, {
        clientId: 'portal',
        scope: user.scope ?? 'openid fhirUser user/*.cruds',
        username: user.username,
        browser: new Browser(),
      });
      return { token: tokens.access_token, accountId };
    },
    async systemToken(clientId, options = {}) {
      const secret = randomBytes(32).toString('base64url');
      await idp.registerClient({
        clientId,
        secret,
        grantTypes: ['client_credentials'],
        scope: options.scope ?? 'system/*.cruds',
        roles: ['integration-system'],
        ...(options.organization ? { organization: options.organization } : {}),
      });
      const res = await fetch(`${origin}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: secret,
        }),
      });
      if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    fhir(path, token, init = {}) {
      const headers = new Headers(init.headers);
      if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
      if (init.body) headers.set('content-type', 'application/fhir+json');
      return fetch(`${fhirBase}/${path}`, { ...init, headers });
    },
    async [Symbol.asyncDispose]() {
      await security.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await platform.stop();
      await imaging?.close();
      await store[Symbol.asyncDispose]();
      if (imagingDir) await rm(imagingDir, { recursive: true, force: true });
    },
  };
  return fixture;
}
