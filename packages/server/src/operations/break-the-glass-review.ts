import type { OperationDefinition, Parameters } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import type { BreakGlassGrant, BreakGlassStore } from '@yiyun/store';
import type { OperationSpec } from '../fhir/operations/registry.ts';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'https://yiyun.dev/fhir/OperationDefinition/break-the-glass-review',
  name: 'BreakTheGlassReview',
  title: '紧急授权复核 (break-the-glass review)',
  status: 'active',
  kind: 'operation',
  code: 'break-the-glass-review',
  system: true,
  type: false,
  instance: false,
  description:
    'GET lists break-the-glass grants for review (unreviewed first; `all=true` includes reviewed ones): ' +
    'an institution admin sees their institution’s, the platform admin all. POST with `grant` and ' +
    '`note` records the review.',
  parameter: [
    { name: 'all', use: 'in', min: 0, max: '1', type: 'boolean' },
    { name: 'grant', use: 'in', min: 0, max: '1', type: 'string' },
    { name: 'note', use: 'in', min: 0, max: '1', type: 'string' },
    { name: 'grant', use: 'out', min: 0, max: '*', type: 'string' },
  ],
};

function asParameter(g: BreakGlassGrant) {
  return {
    name: 'grant',
    part: [
      { name: 'id', valueString: g.id },
      { name: 'account', valueString: g.account },
      ...(g.organization
        ? [{ name: 'organization', valueReference: { reference: `Organization/${g.organization}` } }]
        : []),
      { name: 'patient', valueReference: { reference: `Patient/${g.patientId}` } },
      { name: 'reason', valueString: g.reason },
      { name: 'started', valueInstant: g.startedAt },
      { name: 'expires', valueInstant: g.expiresAt },
      ...(g.reviewedAt ? [{ name: 'reviewed', valueInstant: g.reviewedAt }] : []),
      ...(g.reviewNote ? [{ name: 'note', valueString: g.reviewNote }] : []),
    ],
  };
}

export function breakTheGlassReviewOperation(deps: { grants: BreakGlassStore }): OperationSpec {
  return {
    name: 'break-the-glass-review',
    levels: ['system'],
    methods: ['GET', 'POST'],
    definition,
    async handle(invocation, ctx) {
      const authz = ctx.authorization;
      if (!authz || authz.reviewScope === 'none')
        throw new AppError(
          'forbidden',
          'Only an institution or platform administrator reviews break-the-glass',
        );
      const organization = authz.reviewScope === 'organization' ? authz.principal.organization : undefined;
      const req = invocation.request;
      if (req.method === 'POST') {
        const params = (req.body as Parameters | undefined)?.parameter ?? [];
        const id = params.find((p) => p.name === 'grant')?.valueString ?? '';
        const note = params.find((p) => p.name === 'note')?.valueString;
        const grant = await deps.grants.review(id, {
          reviewer: authz.principal.subject,
          ...(note ? { note } : {}),
          ...(organization ? { organization } : {}),
        });
        return { status: 200, body: { resourceType: 'Parameters', parameter: [asParameter(grant)] } };
      }
      const grants = await deps.grants.list({
        ...(organization ? { organization } : {}),
        unreviewedOnly: req.query.get('all') !== 'true',
      });
      const body: Parameters = { resourceType: 'Parameters', parameter: grants.map(asParameter) };
      return { status: 200, body };
    },
  };
}
