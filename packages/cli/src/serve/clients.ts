import { randomBytes } from 'node:crypto';
import type { IdentityProvider } from '@yiyun/auth';
import { readDemoCredentials, writeDemoCredentials } from '../demo/index.ts';

/** The confidential client scripts use against the demo (all access: `system/*.cruds`, demo only). */
export const DEMO_CLIENT_ID = 'yiyun-demo-system';

export interface DemoClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenEndpoint: string;
  readonly scope: string;
}

/**
 * Registers the demo system client (client credentials, `client_secret_basic` and
 * `client_secret_post`) with a secret generated once per data directory and kept in
 * `demo-credentials.json` (mode 600) beside the demo accounts.
 */
export async function ensureDemoClient(
  idp: IdentityProvider,
  dataDir: string,
): Promise<DemoClient | undefined> {
  const credentials = await readDemoCredentials(dataDir);
  // Only beside the demo accounts this data directory created: another replica's start must not
  // replace the secret its operator was shown.
  if (credentials.accounts.length === 0) return undefined;
  const saved = credentials.clients.find((c) => c['clientId'] === DEMO_CLIENT_ID);
  const clientSecret =
    typeof saved?.['clientSecret'] === 'string'
      ? saved['clientSecret']
      : randomBytes(32).toString('base64url');
  const client: DemoClient = {
    clientId: DEMO_CLIENT_ID,
    clientSecret,
    tokenEndpoint: `${idp.issuer}/oauth2/token`,
    scope: 'system/*.cruds',
  };
  await idp.registerClient({
    clientId: DEMO_CLIENT_ID,
    secret: clientSecret,
    grantTypes: ['client_credentials'],
    scope: client.scope,
    roles: ['integration-system'],
    name: 'Yiyun demo system client (demo only)',
  });
  if (!saved) {
    const others = credentials.clients.filter((c) => c['clientId'] !== DEMO_CLIENT_ID);
    await writeDemoCredentials(dataDir, { ...credentials, clients: [...others, { ...client }] });
  }
  return client;
}

/**
 * `YIYUN_BOOTSTRAP_CLIENT=id:secret` registers a platform system client (all access) at start-up,
 * so that an operator's scripts and a new deployment's first import can authenticate before any
 * account exists. Leave it unset afterwards, or rotate its secret.
 */
export async function ensureBootstrapClient(idp: IdentityProvider, value: string): Promise<void> {
  const colon = value.indexOf(':');
  await idp.registerClient({
    clientId: value.slice(0, colon),
    secret: value.slice(colon + 1),
    grantTypes: ['client_credentials'],
    scope: 'system/*.cruds',
    roles: ['integration-system'],
    name: 'Bootstrap platform client',
  });
}
