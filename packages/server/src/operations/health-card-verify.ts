import type { OperationDefinition, ParametersParameter } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import type { OperationSpec } from '../fhir/operations/registry.ts';
import type { HealthCardDeps } from './health-card-support.ts';
import { parameters, requireAuthorization, stringParam } from './health-card-support.ts';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'https://yiyun.dev/fhir/OperationDefinition/health-card-verify',
  name: 'HealthCardVerify',
  title: '核验居民健康卡二维码 (verify a health card QR payload)',
  status: 'active',
  kind: 'operation',
  code: 'health-card-verify',
  system: true,
  type: false,
  instance: false,
  affectsState: false,
  description:
    'Online verification of a QR payload: signature, type, issuer, expiry, and that the card is known ' +
    'and not revoked. `valid` false comes with a `reason` code (malformed, bad-signature, unknown-key, ' +
    'wrong-issuer, not-yet-valid, expired, unknown-card, revoked). With `name`, `nameMatches` compares ' +
    "it with the payload's name hash. Offline clinics do the same checks but revocation with the JWKS.",
  parameter: [
    { name: 'payload', use: 'in', min: 1, max: '1', type: 'string' },
    { name: 'name', use: 'in', min: 0, max: '1', type: 'string' },
    { name: 'valid', use: 'out', min: 1, max: '1', type: 'boolean' },
    { name: 'reason', use: 'out', min: 0, max: '1', type: 'code' },
    { name: 'number', use: 'out', min: 0, max: '1', type: 'string' },
    { name: 'expires', use: 'out', min: 0, max: '1', type: 'instant' },
    { name: 'nameMatches', use: 'out', min: 0, max: '1', type: 'boolean' },
  ],
};

export function healthCardVerifyOperation(deps: HealthCardDeps): OperationSpec {
  return {
    name: 'health-card-verify',
    levels: ['system'],
    methods: ['POST'],
    definition,
    async handle(invocation, ctx) {
      requireAuthorization(ctx);
      const payload = stringParam(invocation, 'payload');
      if (!payload) throw new AppError('invalid', '$health-card-verify needs a `payload`');
      const name = stringParam(invocation, 'name');
      const result = await deps.cards.verify(payload, name === undefined ? {} : { name });
      const out: ParametersParameter[] = result.valid
        ? [
            { name: 'valid', valueBoolean: true },
            { name: 'number', valueString: result.card },
            { name: 'expires', valueInstant: result.expiresAt.toISOString() },
            ...(result.nameMatches === undefined
              ? []
              : [{ name: 'nameMatches', valueBoolean: result.nameMatches }]),
          ]
        : [
            { name: 'valid', valueBoolean: false },
            { name: 'reason', valueCode: result.reason },
          ];
      return { status: 200, body: parameters(out) };
    },
  };
}
