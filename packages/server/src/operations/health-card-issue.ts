import { AppError } from '@yiyun/fhir';
import type { OperationSpec } from '../fhir/operations/registry.ts';
import { describeHealthCardOperation, optional, required } from './health-card-definition.ts';
import {
  cardParameters,
  type HealthCardDeps,
  isRegistrar,
  parameters,
  requireAuthorization,
  resolvePerson,
} from './health-card-support.ts';
import { stringParameter } from './registry/parameters.ts';

const described = describeHealthCardOperation({
  code: 'health-card-issue',
  title: '发放居民健康卡 (issue a resident health card)',
  levels: ['instance'],
  description:
    'Issues a health card number (18 digits, Luhn check digit) to the regional person this Patient ' +
    'record (or golden person id) belongs to. Staff at an institution only; the caller must see the ' +
    'record. A person holds one active card: issuing again is a conflict until the card is revoked.',
  in: [optional('areaCode', 'string')],
  out: [
    required('number', 'string'),
    required('identifier', 'Identifier'),
    required('status', 'code'),
    required('issued', 'instant'),
    required('expires', 'instant'),
  ],
});

export function healthCardIssueOperation(deps: HealthCardDeps): OperationSpec {
  return {
    ...described,
    methods: ['POST'],
    async handle(invocation, ctx) {
      const authz = requireAuthorization(ctx);
      if (!isRegistrar(authz))
        throw new AppError('forbidden', 'Only staff acting for an institution may issue health cards');
      const { personId } = await resolvePerson(ctx, deps.persons, invocation.id ?? '');
      const areaCode = stringParameter(invocation.request, 'areaCode');
      const card = await deps.cards.issue(personId, authz.principal.subject, areaCode ? { areaCode } : {});
      return { status: 200, body: parameters(cardParameters(card)) };
    },
  };
}
