/**
 * `node bench/auth/tokens.ts [--seconds 5] [--tokens 200]`: access-token validations per second on
 * one core (issue #4: ≥ 10,000/s). Tokens are real RFC 9068 JWTs from the identity provider
 * (client credentials over HTTP on 127.0.0.1); each validation is the full local check the FHIR
 * API runs: RS256 signature, alg allow-list, typ, iss, aud, exp/nbf/iat, revocation list.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createIdentityProvider, PgAccountStore } from '@yiyun/auth';
import { openStore } from '@yiyun/store';
import pino from 'pino';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, tokens: { type: 'string', default: '200' } },
});
const seconds = Number(args.seconds);
const tokenCount = Number(args.tokens);

const store = await openStore({ dataDir: 'memory://', registryPollMs: 0 });
const server = createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const idp = await createIdentityProvider({
  issuer: origin,
  database: store.database,
  accounts: await PgAccountStore.open({ sql: store.database.sql }),
  logger: pino({ level: 'silent' }),
  cookieKeys: [randomBytes(32).toString('base64url')],
  keyEncryptionKey: randomBytes(32),
});
server.on('request', idp.listener);
const secret = randomBytes(32).toString('base64url');
await idp.registerClient({
  clientId: 'bench',
  secret,
  grantTypes: ['client_credentials'],
  scope: 'system/*.rs',
});

const tokens: string[] = [];
for (let i = 0; i < tokenCount; i++) {
  const res = await fetch(`${origin}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'bench',
      client_secret: secret,
    }),
  });
  tokens.push(((await res.json()) as { access_token: string }).access_token);
}

// Warm-up, then a timed run on this one thread.
for (let i = 0; i < 2000; i++) await idp.verifyAccessToken(tokens[i % tokens.length] ?? '');
let done = 0;
const start = performance.now();
const end = start + seconds * 1000;
while (performance.now() < end) {
  for (let i = 0; i < 500; i++) await idp.verifyAccessToken(tokens[(done + i) % tokens.length] ?? '');
  done += 500;
}
const elapsed = (performance.now() - start) / 1000;
const perSecond = Math.round(done / elapsed);
console.log(
  `token validation: ${perSecond.toLocaleString('en')} /s on one core (${done} validations of ${tokens.length} distinct tokens in ${elapsed.toFixed(1)} s; target ≥ 10,000/s)`,
);

await idp.close();
server.closeAllConnections();
server.close();
await store.close();
