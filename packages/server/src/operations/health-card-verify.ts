import type { ParametersParameter } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import type { OperationSpec } from '../fhir/operations/registry.ts';
import { describeHealthCardOperation, optional, required } from './health-card-definition.ts';
import { type HealthCardDeps, parameters, requireAuthorization } from './health-card-support.ts';
import { stringParameter } from './registry/parameters.ts';

const described = describeHealthCardOperation({
  code: 'health-card-verify',
  title: '核验居民健康卡二维码 (verify a health card QR payload)',
  levels: ['system'],
  readOnly: true,
  description:
    'Online verification of a QR payload: signature, type, issuer, expiry, and that the card is known ' +
    'and not revoked. `valid` false comes with a `reason` code (malformed, bad-signature, unknown-key, ' +
    'wrong-issuer, not-yet-valid, expired, unknown-card, revoked). With `name`, `nameMatches` compares ' +
    "it with the payload's name hash. Offline clinics do the same checks but revocation with the JWKS.",
  in: [required('payload', 'string'), optional('name', 'string')],
  out: [
    required('valid', 'boolean'),
    optional('reason', 'code'),
    optional('number', 'string'),
    optional('expires', 'instant'),
    optional('nameMatches', 'boolean'),
  ],
});

export function healthCardVerifyOperation(deps: HealthCardDeps): OperationSpec {
  return {
    ...described,
    methods: ['POST'],
    async handle(invocation, ctx) {
      requireAuthorization(ctx);
      const payload = stringParameter(invocation.request, 'payload');
      if (!payload) throw new AppError('invalid', '$health-card-verify needs a `payload`');
      const name = stringParameter(invocation.request, 'name');
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
