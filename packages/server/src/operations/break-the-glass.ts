import type { OperationDefinition, Parameters, ParametersParameter } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import type { BreakGlassStore } from '@yiyun/store';
import type { OperationSpec } from '../fhir/operations/registry.ts';

const RESIDENT_ID = 'https://yiyun.dev/fhir/sid/cn-resident-id';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'https://yiyun.dev/fhir/OperationDefinition/Patient-break-the-glass',
  name: 'BreakTheGlass',
  title: '紧急授权 (break-the-glass)',
  status: 'active',
  kind: 'operation',
  code: 'break-the-glass',
  resource: ['Patient'],
  system: false,
  type: true,
  instance: true,
  description:
    'Declares an emergency: the calling clinician may read every record of this resident for a limited ' +
    'time. The grant is audited (purposeOfUse ETREAT) and queued for review by their institution admin. ' +
    'At type level, `identifier` names the resident by ID number (they may not be visible yet).',
  parameter: [
    { name: 'reason', use: 'in', min: 1, max: '1', type: 'string' },
    { name: 'identifier', use: 'in', min: 0, max: '1', type: 'string' },
    { name: 'minutes', use: 'in', min: 0, max: '1', type: 'integer' },
    { name: 'grant', use: 'out', min: 1, max: '1', type: 'string' },
    { name: 'patient', use: 'out', min: 1, max: '1', type: 'Reference' },
    { name: 'expires', use: 'out', min: 1, max: '1', type: 'instant' },
  ],
};

function param(body: unknown, name: string): ParametersParameter | undefined {
  if (!body || typeof body !== 'object' || (body as Parameters).resourceType !== 'Parameters')
    throw new AppError('invalid', '$break-the-glass takes a Parameters resource');
  return (body as Parameters).parameter?.find((p) => p.name === name);
}

/** Finds Patient records by identifier regardless of access scope (the clinician cannot see them yet). */
export interface BreakGlassTargets {
  patientIdsByIdentifier(system: string, value: string): Promise<string[]>;
}

/** `system|value` or a bare resident ID number. */
function residentIdNumber(value: string): string {
  return (value.includes('|') ? (value.split('|')[1] ?? '') : value).trim().toUpperCase();
}

export function breakTheGlassOperation(deps: {
  grants: BreakGlassStore;
  targets: BreakGlassTargets;
  defaultMinutes: number;
}): OperationSpec {
  return {
    name: 'break-the-glass',
    levels: ['type', 'instance'],
    resourceTypes: ['Patient'],
    methods: ['POST'],
    definition,
    async handle(invocation, ctx) {
      const authz = ctx.authorization;
      if (!authz?.canBreakGlass || authz.principal.kind !== 'user')
        throw new AppError('forbidden', 'Only a clinician acting for an institution may break the glass');
      const body = invocation.request.body;
      const reason = param(body, 'reason')?.valueString ?? '';
      const minutes = param(body, 'minutes')?.valueInteger ?? deps.defaultMinutes;
      const identifier = param(body, 'identifier')?.valueString;
      // One grant covers the resident's person, so any one of their records will do.
      const [patientId] = invocation.id
        ? [invocation.id]
        : identifier
          ? await deps.targets.patientIdsByIdentifier(RESIDENT_ID, residentIdNumber(identifier))
          : [];
      if (!patientId) throw new AppError('not-found', 'No resident with that identifier');
      const grant = await deps.grants.declare({
        account: authz.principal.subject,
        ...(authz.principal.organization ? { organization: authz.principal.organization } : {}),
        patientId,
        reason,
        minutes,
      });
      const out: Parameters = {
        resourceType: 'Parameters',
        parameter: [
          { name: 'grant', valueString: grant.id },
          { name: 'patient', valueReference: { reference: `Patient/${grant.patientId}` } },
          { name: 'expires', valueInstant: grant.expiresAt },
        ],
      };
      return { status: 200, body: out };
    },
  };
}
