/**
 * 居民健康卡 (resident health card) operations of issue #5 (docs/health-card.md). The server composes
 * them with the card service and the person links; the access interceptor audits each call.
 *
 * ```ts
 * const cards = await openHealthCards({ sql, keyEncryptionKey, issuer, areaCode: '350203' }); // @yiyun/mpi
 * operations: [...healthCardOperations({ cards, persons: pgPersonDirectory(sql) })]
 * app.get(HEALTH_CARD_JWKS_PATH, async (c) => c.json(await healthCardJwks(cards)))
 * ```
 */
import type { OperationSpec } from '../fhir/operations/registry.ts';
import { healthCardIssueOperation } from './health-card-issue.ts';
import { healthCardLookupOperation } from './health-card-lookup.ts';
import { healthCardQrOperation } from './health-card-qr.ts';
import { healthCardRevokeOperation } from './health-card-revoke.ts';
import type { HealthCardDeps, HealthCards } from './health-card-support.ts';
import { healthCardVerifyOperation } from './health-card-verify.ts';

export type {
  HealthCardCheck,
  HealthCardDeps,
  HealthCardPersons,
  HealthCardRecord,
  HealthCards,
} from './health-card-support.ts';

/** Where the public card keys are meant to be served (unauthenticated, cacheable). */
export const HEALTH_CARD_JWKS_PATH = '/health-card/jwks.json';

/** `$health-card-issue`, `-lookup`, `-revoke`, `-qr`, `-verify`. */
export function healthCardOperations(deps: HealthCardDeps): OperationSpec[] {
  return [
    healthCardIssueOperation(deps),
    healthCardLookupOperation(deps),
    healthCardRevokeOperation(deps),
    healthCardQrOperation(deps),
    healthCardVerifyOperation(deps),
  ];
}

/**
 * The public JWKS (RFC 7517 §5) a clinic downloads to verify QR payloads offline: public keys only,
 * the signing key and the retired ones still inside a payload lifetime. Safe to serve to anyone.
 */
export async function healthCardJwks(cards: Pick<HealthCards, 'jwks'>): Promise<{ keys: object[] }> {
  const { keys } = await cards.jwks();
  // Belt and braces: whatever the service returns, no private member (RFC 7518 §6.2.2, §6.3.2) leaves.
  return { keys: keys.map((k) => Object.fromEntries(Object.entries(k).filter(([m]) => !PRIVATE.has(m)))) };
}

const PRIVATE: ReadonlySet<string> = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']);
