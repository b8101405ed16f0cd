import { AppError } from '@yiyun/fhir';
import type { HealthCardService, ResidentRegistry } from '@yiyun/mpi';
import { personOf } from '@yiyun/mpi';
import type { DemoAccountsOutcome } from './demo-accounts.ts';

/**
 * The demo resident holds a health card (居民健康卡), as a resident registered at a community
 * centre would, so the portal's card page shows one. Issued once; a later start, or a card the
 * resident revoked and had reissued, is left alone. Returns the card number when one was issued.
 */
export async function ensureDemoHealthCard(
  accounts: DemoAccountsOutcome,
  registry: ResidentRegistry,
  cards: HealthCardService,
): Promise<string | undefined> {
  const patient = accounts.accounts.find((a) => a.role === 'resident')?.patient;
  if (!patient) return undefined;
  const person = await personOf(registry.queryable, patient);
  if (!person || (await cards.cardsOf(person)).length > 0) return undefined;
  try {
    return (await cards.issue(person, 'demo')).number;
  } catch (err) {
    // Another replica starting beside this one issued it first.
    if (err instanceof AppError && err.code === 'conflict') return undefined;
    throw err;
  }
}
