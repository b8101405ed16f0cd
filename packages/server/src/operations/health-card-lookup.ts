import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { isAppError } from '@yiyun/fhir';
import type { OperationSpec } from '../fhir/operations/registry.ts';
import type { FhirContext } from '../fhir/types.ts';
import { describeHealthCardOperation, required } from './health-card-definition.ts';
import {
  type HealthCardDeps,
  type HealthCardRecord,
  requireAuthorization,
  visiblePatients,
} from './health-card-support.ts';
import { stringParameter } from './registry/parameters.ts';

const described = describeHealthCardOperation({
  code: 'health-card-lookup',
  title: '按居民健康卡查找居民 (find a resident by health card)',
  levels: ['type'],
  readOnly: true,
  description:
    'Returns a searchset Bundle of the Patient records of the person holding this card that the caller ' +
    'may see (records they may not see are simply absent; an unknown number gives an empty Bundle). ' +
    'A revoked or expired card is flagged by an OperationOutcome entry. A bad check digit is invalid.',
  in: [required('number', 'string')],
  out: [required('return', 'Bundle')],
});

async function findCard(deps: HealthCardDeps, number: string): Promise<HealthCardRecord | undefined> {
  try {
    return await deps.cards.lookup(number);
  } catch (err) {
    if (isAppError(err) && err.code === 'not-found') return undefined;
    throw err; // `invalid` for a bad check digit
  }
}

function statusEntry(card: HealthCardRecord): BundleEntry {
  const when = card.status === 'revoked' ? ` on ${card.revokedAt}` : ` on ${card.expiresAt}`;
  return {
    resource: {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'warning',
          code: 'business-rule',
          diagnostics: `This health card is ${card.status}${when}: ask the resident for their current card`,
        },
      ],
    },
    search: { mode: 'outcome' },
  };
}

async function searchset(ctx: FhirContext, deps: HealthCardDeps, card: HealthCardRecord | undefined) {
  const patients = card ? await visiblePatients(ctx, await deps.persons.patientsOfPerson(card.personId)) : [];
  const entry: BundleEntry[] = patients.map((resource) => ({
    fullUrl: `${ctx.config.baseUrl}/Patient/${resource.id}`,
    resource,
    search: { mode: 'match' },
  }));
  // Only someone who may see the resident learns the card's state.
  if (card && patients.length > 0 && card.status !== 'active') entry.push(statusEntry(card));
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', total: patients.length, entry };
  return bundle;
}

export function healthCardLookupOperation(deps: HealthCardDeps): OperationSpec {
  return {
    ...described,
    methods: ['GET', 'POST'],
    async handle(invocation, ctx) {
      requireAuthorization(ctx);
      const card = await findCard(deps, stringParameter(invocation.request, 'number') ?? '');
      return { status: 200, body: await searchset(ctx, deps, card) };
    },
  };
}
