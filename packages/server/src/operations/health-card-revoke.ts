import { AppError } from '@yiyun/fhir';
import type { OperationSpec } from '../fhir/operations/registry.ts';
import { describeHealthCardOperation, optional, required } from './health-card-definition.ts';
import {
  cardParameters,
  type HealthCardDeps,
  isRegistrar,
  ownPerson,
  parameters,
  requireAuthorization,
  resolvePerson,
} from './health-card-support.ts';
import { stringParameter } from './registry/parameters.ts';

const described = describeHealthCardOperation({
  code: 'health-card-revoke',
  title: '挂失/注销居民健康卡 (revoke a resident health card)',
  levels: ['instance'],
  description:
    "Revokes this resident's card (on loss, theft, damage …): online verification fails from now on and " +
    'a new card may be issued. `number` defaults to the current card. Staff at an institution who see ' +
    'the record, or the resident themself.',
  in: [optional('number', 'string'), required('reason', 'string')],
  out: [required('number', 'string'), required('status', 'code'), required('revoked', 'instant')],
});

export function healthCardRevokeOperation(deps: HealthCardDeps): OperationSpec {
  return {
    ...described,
    methods: ['POST'],
    async handle(invocation, ctx) {
      const authz = requireAuthorization(ctx);
      const own = await ownPerson(authz, deps.persons);
      if (!isRegistrar(authz) && !own)
        throw new AppError('forbidden', 'Only staff at an institution or the resident may revoke a card');
      const reason = stringParameter(invocation.request, 'reason') ?? '';
      if (!reason.trim()) throw new AppError('invalid', 'A revocation reason is required');
      const number = stringParameter(invocation.request, 'number');
      const { personId } = await resolvePerson(ctx, deps.persons, invocation.id ?? '');
      if (own && own !== personId && !isRegistrar(authz))
        throw new AppError('forbidden', 'A resident may revoke only their own card');
      const card = number ? await deps.cards.lookup(number) : await deps.cards.currentCard(personId);
      // Another person's card is as unknown here as a card never issued.
      if (!card || card.personId !== personId)
        throw new AppError('not-found', 'No such health card for this resident');
      const revoked = await deps.cards.revoke(card.number, reason, authz.principal.subject);
      return { status: 200, body: parameters(cardParameters(revoked)) };
    },
  };
}
