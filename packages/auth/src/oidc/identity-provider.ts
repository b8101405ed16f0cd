import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '@yiyun/store';
import type { JWK } from 'jose';
import Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { AccountStore } from '../accounts/port.ts';
import type { Principal } from '../principal.ts';
import { type SmartConfiguration, smartConfiguration } from '../smart/configuration.ts';
import { type LaunchContext, LaunchContextStore } from '../smart/launch.ts';
import { pgAdapterFactory } from './adapter.ts';
import { type ClientRegistration, clientMetadata, hashClientSecret, saveClient } from './clients.ts';
import { DEFAULT_TTL, providerConfiguration, type Ttl } from './configuration.ts';
import { GrantContextStore } from './grant-context.ts';
import { providerHooks } from './hooks.ts';
import { interactionRoutes } from './interactions.ts';
import { SigningKeyStore } from './keys.ts';
import { migrateOidc } from './migrations.ts';
import { RevocationList } from './revocations.ts';
import { AccessTokenVerifier } from './verify.ts';

/** A sign-in event for the audit trail (never carries the username typed or the password). */
export interface SecurityEvent {
  readonly kind: 'login' | 'login-failed' | 'logout';
  readonly account?: string;
  readonly clientId?: string;
  readonly address?: string;
  /** Why a sign-in failed (`invalid-credentials`, `locked` …). */
  readonly reason?: string;
}

export interface IdentityProviderOptions {
  /** Public base URL, e.g. `http://127.0.0.1:8080`; discovery is at `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** The access-token audience; default `<issuer>/fhir/R4`. */
  readonly fhirBaseUrl?: string;
  readonly database: Database;
  readonly accounts: AccountStore;
  readonly logger: Logger;
  /** Keys signing the provider's cookies (newest first; at least one, ≥ 32 characters). */
  readonly cookieKeys: readonly string[];
  /** 32 bytes (or their base64url) encrypting the private signing keys at rest. */
  readonly keyEncryptionKey: Uint8Array | string;
  readonly ttl?: Partial<Ttl>;
  /** Clock for token verification (ms), for tests. */
  readonly now?: () => number;
  /** How often each replica re-reads revocations and signing keys (ms); default 1000. 0 = never. */
  readonly pollMs?: number;
  /** Trust `X-Forwarded-*` from a TLS-terminating proxy. */
  readonly trustProxy?: boolean;
  /** Sign-ins, failed sign-ins and sign-outs, for the audit trail (awaited before the response). */
  readonly onSecurityEvent?: (event: SecurityEvent) => Promise<void> | void;
}

export interface IdentityProvider {
  readonly issuer: string;
  readonly fhirBaseUrl: string;
  /** The Node listener for the provider's paths (see `handles`). */
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** Whether a request path belongs to the provider (`/oauth2/*`, OIDC discovery). */
  handles(pathname: string): boolean;
  verifyAccessToken(token: string): Promise<Principal>;
  registerClient(registration: ClientRegistration): Promise<void>;
  /** A new key signs from now on; old keys stay in the JWKS until their tokens expire. Returns the new kid. */
  rotateKeys(): Promise<string>;
  /** EHR launch: an opaque `launch` value for the authorization request. */
  createLaunchContext(context: LaunchContext): Promise<string>;
  smartConfiguration(): SmartConfiguration;
  /** Re-reads revocations and keys now (what the poll does every `pollMs`). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

function decodeKek(key: Uint8Array | string): Uint8Array {
  return typeof key === 'string' ? new Uint8Array(Buffer.from(key, 'base64url')) : key;
}

export async function createIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const issuer = options.issuer.replace(/\/+$/, '');
  const fhirBaseUrl = (options.fhirBaseUrl ?? `${issuer}/fhir/R4`).replace(/\/+$/, '');
  if (options.cookieKeys.length === 0 || options.cookieKeys.some((k) => k.length < 32)) {
    throw new Error('cookieKeys: at least one key of 32 or more characters is required');
  }
  const ttl: Ttl = { ...DEFAULT_TTL, ...options.ttl };
  const secure = issuer.startsWith('https:');
  const sql = options.database.sql;
  await migrateOidc(sql);
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 1000;
  const revocations = new RevocationList(sql, { pollMs: 0, windowSeconds: 30, now });
  const keys = new SigningKeyStore(sql, decodeKek(options.keyEncryptionKey));
  const verifier = new AccessTokenVerifier({
    issuer,
    audience: fhirBaseUrl,
    revocations,
    maxTokenAgeSeconds: ttl.accessToken + 60,
    now,
  });
  const grantContexts = new GrantContextStore(sql, ttl.grant);
  const launches = new LaunchContextStore(sql);
  const adapter = pgAdapterFactory(sql, revocations, ttl.accessToken);
  await keys.ensure();
  await revocations.start();

  let current: { provider: Provider; listener: (req: IncomingMessage, res: ServerResponse) => void };
  let keyVersion = '';
  const build = async () => {
    keyVersion = await keys.version();
    const signing = await keys.load();
    await verifier.setKeys(signing.map((k) => k.publicJwk));
    const provider = new Provider(
      issuer,
      providerConfiguration({
        fhirBaseUrl,
        accounts: options.accounts,
        grantContexts,
        adapter,
        jwks: { keys: signing.map((k) => k.privateJwk as Record<string, unknown>) },
        cookieKeys: options.cookieKeys,
        ttl,
        secure,
      }),
    );
    provider.proxy = options.trustProxy ?? false;
    compareHashedSecrets(provider);
    provider.on('server_error', (_ctx, err) => options.logger.error({ err }, 'identity provider error'));
    provider.use(providerHooks({ verifier, revocations, logger: options.logger }));
    provider.use(
      interactionRoutes({
        provider: () => current.provider,
        accounts: options.accounts,
        launches,
        grantContexts,
        fhirBaseUrl,
        issuerOrigin: new URL(issuer).origin,
        csrfSecret: options.cookieKeys[0] ?? '',
        logger: options.logger,
        ...(options.onSecurityEvent ? { onSecurityEvent: options.onSecurityEvent } : {}),
      }),
    );
    provider.on('end_session.success', (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      void Promise.resolve(
        options.onSecurityEvent?.({
          kind: 'logout',
          ...(accountId ? { account: accountId } : {}),
          ...(ctx.oidc.client?.clientId ? { clientId: ctx.oidc.client.clientId } : {}),
          ...(ctx.ip ? { address: ctx.ip } : {}),
        }),
      ).catch((err: unknown) => options.logger.error({ err }, 'audit of sign-out failed'));
    });
    current = { provider, listener: provider.callback() };
  };
  await build();

  const refresh = async () => {
    await revocations.poll();
    if ((await keys.version()) !== keyVersion) await build();
  };
  const timer = pollMs > 0 ? setInterval(() => void refresh().catch(() => {}), pollMs) : undefined;
  timer?.unref();

  return {
    issuer,
    fhirBaseUrl,
    listener: (req, res) => current.listener(req, res),
    handles: (pathname) =>
      pathname.startsWith('/oauth2/') || pathname === '/.well-known/openid-configuration',
    verifyAccessToken: (token) => verifier.verify(token),
    registerClient: (registration) => saveClient(sql, clientMetadata(registration)),
    async rotateKeys() {
      const kid = await keys.rotate(Math.max(ttl.accessToken, ttl.idToken) + 300);
      await build();
      return kid;
    },
    createLaunchContext: (context) => launches.create(context),
    smartConfiguration: () => smartConfiguration(issuer, { authorizePost: secure }),
    refresh,
    async close() {
      clearInterval(timer);
      revocations.stop();
    },
  };
}

/** Client secrets are stored as digests (`clients.ts`); compare the digest of what was presented. */
function compareHashedSecrets(provider: Provider): void {
  const proto = provider.Client.prototype as unknown as {
    clientSecret?: string;
    compareClientSecret(actual: string): Promise<boolean>;
  };
  proto.compareClientSecret = async function compare(this: { clientSecret?: string }, actual: string) {
    const stored = Buffer.from(this.clientSecret ?? '');
    const given = Buffer.from(hashClientSecret(String(actual)));
    return stored.length === given.length && timingSafeEqual(stored, given);
  };
}

export type { JWK };
