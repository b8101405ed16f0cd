import { AppError } from '@yiyun/fhir';
import type { OperationSpec } from '../fhir/operations/registry.ts';
import { describeHealthCardOperation, optional, required } from './health-card-definition.ts';
import {
  type HealthCardDeps,
  isClinicalStaff,
  ownPerson,
  parameters,
  patientNameText,
  requireAuthorization,
  resolvePerson,
} from './health-card-support.ts';
import { stringParameter } from './registry/parameters.ts';

const described = describeHealthCardOperation({
  code: 'health-card-qr',
  title: '居民健康卡二维码 (health card QR payload)',
  levels: ['system', 'instance'],
  readOnly: true,
  description:
    'A compact JWS (ES256, the platform card key) carrying the card number, a SHA-256 hash of the name ' +
    'and an expiry, for a QR code a clinic verifies offline with the published JWKS. At system level: the ' +
    "calling resident's own card. On a Patient: the resident themself or a clinician who sees the record. " +
    '`name` defaults to the official name of the record.',
  in: [optional('number', 'string'), optional('name', 'string')],
  out: [required('payload', 'string'), required('number', 'string'), required('expires', 'instant')],
});

/** `exp` of a compact JWS we just signed (no verification needed). */
function expiryOf(jws: string): string {
  const claims = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    exp: number;
  };
  return new Date(claims.exp * 1000).toISOString();
}

export function healthCardQrOperation(deps: HealthCardDeps): OperationSpec {
  return {
    ...described,
    methods: ['GET', 'POST'],
    async handle(invocation, ctx) {
      const authz = requireAuthorization(ctx);
      const own = await ownPerson(authz, deps.persons);
      if (!own && !isClinicalStaff(authz))
        throw new AppError('forbidden', 'Only the resident or a clinician may produce a health card QR code');
      const target = invocation.id ?? authz.principal.patient;
      if (!target) throw new AppError('invalid', 'Name the resident: Patient/{id}/$health-card-qr');
      const { personId, patients } = await resolvePerson(ctx, deps.persons, target);
      if (own && own !== personId && !isClinicalStaff(authz))
        throw new AppError('forbidden', 'A resident may produce only their own QR code');
      const number = stringParameter(invocation.request, 'number');
      const card = number ? await deps.cards.lookup(number) : await deps.cards.currentCard(personId);
      if (!card || card.personId !== personId)
        throw new AppError('not-found', 'This resident has no such health card');
      const name = stringParameter(invocation.request, 'name') ?? patients.map(patientNameText).find(Boolean);
      if (!name) throw new AppError('invalid', 'The record has no name: pass `name`');
      const payload = await deps.cards.qrPayload(card.number, name);
      return {
        status: 200,
        body: parameters([
          { name: 'payload', valueString: payload },
          { name: 'number', valueString: card.number },
          { name: 'expires', valueInstant: expiryOf(payload) },
        ]),
      };
    },
  };
}
