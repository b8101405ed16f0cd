import type { OperationDefinition } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import type { OperationSpec } from '../fhir/operations/registry.ts';
import {
  cardParameters,
  type HealthCardDeps,
  isRegistrar,
  parameters,
  requireAuthorization,
  resolvePerson,
  stringParam,
} from './health-card-support.ts';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'https://yiyun.dev/fhir/OperationDefinition/Patient-health-card-issue',
  name: 'HealthCardIssue',
  title: '发放居民健康卡 (issue a resident health card)',
  status: 'active',
  kind: 'operation',
  code: 'health-card-issue',
  resource: ['Patient'],
  system: false,
  type: false,
  instance: true,
  description:
    'Issues a health card number (18 digits, Luhn check digit) to the regional person this Patient ' +
    'record (or golden person id) belongs to. Staff at an institution only; the caller must see the ' +
    'record. A person holds one active card: issuing again is a conflict until the card is revoked.',
  parameter: [
    { name: 'areaCode', use: 'in', min: 0, max: '1', type: 'string' },
    { name: 'number', use: 'out', min: 1, max: '1', type: 'string' },
    { name: 'identifier', use: 'out', min: 1, max: '1', type: 'Identifier' },
    { name: 'status', use: 'out', min: 1, max: '1', type: 'code' },
    { name: 'issued', use: 'out', min: 1, max: '1', type: 'instant' },
    { name: 'expires', use: 'out', min: 1, max: '1', type: 'instant' },
  ],
};

export function healthCardIssueOperation(deps: HealthCardDeps): OperationSpec {
  return {
    name: 'health-card-issue',
    levels: ['instance'],
    resourceTypes: ['Patient'],
    methods: ['POST'],
    definition,
    async handle(invocation, ctx) {
      const authz = requireAuthorization(ctx);
      if (!isRegistrar(authz))
        throw new AppError('forbidden', 'Only staff acting for an institution may issue health cards');
      const { personId } = await resolvePerson(ctx, deps.persons, invocation.id ?? '');
      const areaCode = stringParam(invocation, 'areaCode');
      const card = await deps.cards.issue(personId, authz.principal.subject, areaCode ? { areaCode } : {});
      return { status: 200, body: parameters(cardParameters(card)) };
    },
  };
}
