import type { OperationDefinition } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import type { OperationSpec } from '../fhir/operations/registry.ts';
import {
  cardParameters,
  type HealthCardDeps,
  isRegistrar,
  ownPerson,
  parameters,
  requireAuthorization,
  resolvePerson,
  stringParam,
} from './health-card-support.ts';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'https://yiyun.dev/fhir/OperationDefinition/Patient-health-card-revoke',
  name: 'HealthCardRevoke',
  title: '挂失/注销居民健康卡 (revoke a resident health card)',
  status: 'active',
  kind: 'operation',
  code: 'health-card-revoke',
  resource: ['Patient'],
  system: false,
  type: false,
  instance: true,
  description:
    "Revokes this resident's card (on loss, theft, damage …): online verification fails from now on and " +
    'a new card may be issued. `number` defaults to the current card. Staff at an institution who see ' +
    'the record, or the resident themself.',
  parameter: [
    { name: 'number', use: 'in', min: 0, max: '1', type: 'string' },
    { name: 'reason', use: 'in', min: 1, max: '1', type: 'string' },
    { name: 'number', use: 'out', min: 1, max: '1', type: 'string' },
    { name: 'status', use: 'out', min: 1, max: '1', type: 'code' },
    { name: 'revoked', use: 'out', min: 1, max: '1', type: 'instant' },
  ],
};

export function healthCardRevokeOperation(deps: HealthCardDeps): OperationSpec {
  return {
    name: 'health-card-revoke',
    levels: ['instance'],
    resourceTypes: ['Patient'],
    methods: ['POST'],
    definition,
    async handle(invocation, ctx) {
      const authz = requireAuthorization(ctx);
      const own = await ownPerson(authz, deps.persons);
      if (!isRegistrar(authz) && !own)
        throw new AppError('forbidden', 'Only staff at an institution or the resident may revoke a card');
      const reason = stringParam(invocation, 'reason') ?? '';
      if (!reason.trim()) throw new AppError('invalid', 'A revocation reason is required');
      const number = stringParam(invocation, 'number');
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
