import type { OperationDefinition, Parameters, ParametersParameter } from '@medplum/fhirtypes';
import type { AuditLog, VerifyProblem } from '@yiyun/auth';
import { AppError } from '@yiyun/fhir';
import type { OperationSpec } from '../fhir/operations/registry.ts';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'https://yiyun.dev/fhir/OperationDefinition/audit-verify',
  name: 'AuditVerify',
  title: '审计链校验 ($audit-verify)',
  status: 'active',
  kind: 'operation',
  code: 'audit-verify',
  system: true,
  type: false,
  instance: false,
  description:
    'Checks the hash chain of the whole audit trail (as `yiyun audit verify`): ok, batches and ' +
    'sealed events checked, events not sealed yet, the head to anchor elsewhere, and the first bad ' +
    'entry. The platform operator only; it reads every sealed batch, so it is run on demand.',
  parameter: [
    { name: 'ok', use: 'out', min: 1, max: '1', type: 'boolean' },
    { name: 'batches', use: 'out', min: 1, max: '1', type: 'integer' },
    { name: 'sealedEvents', use: 'out', min: 1, max: '1', type: 'integer' },
    { name: 'unsealedEvents', use: 'out', min: 1, max: '1', type: 'integer' },
    { name: 'head', use: 'out', min: 0, max: '1', type: 'string' },
    { name: 'headSealedAt', use: 'out', min: 0, max: '1', type: 'instant' },
    { name: 'problemCount', use: 'out', min: 1, max: '1', type: 'integer' },
    { name: 'firstProblem', use: 'out', min: 0, max: '1', type: 'string' },
  ],
};

function problemText(p: VerifyProblem): string {
  const at = [
    p.batchNo === undefined ? '' : `batch ${p.batchNo}`,
    p.seq === undefined ? '' : `event ${p.seq}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${p.kind}${at ? ` (${at})` : ''}: ${p.message}`;
}

/** `$audit-verify`: the audit browser's chain status (issue #7), from the same check as the CLI. */
export function auditVerifyOperation(audit: AuditLog): OperationSpec {
  return {
    name: 'audit-verify',
    levels: ['system'],
    methods: ['GET', 'POST'],
    definition,
    async handle(_invocation, ctx) {
      if (ctx.authorization && !ctx.authorization.isPlatformOperator)
        throw new AppError('forbidden', 'Only the platform operator may verify the audit chain');
      const report = await audit.verify();
      const parameter: ParametersParameter[] = [
        { name: 'ok', valueBoolean: report.ok },
        { name: 'batches', valueInteger: report.batches },
        { name: 'sealedEvents', valueInteger: report.sealedEvents },
        { name: 'unsealedEvents', valueInteger: report.unsealed.count },
        ...(report.head
          ? [
              { name: 'head', valueString: `${report.head.batchNo}:${report.head.batchHash}` },
              { name: 'headSealedAt', valueInstant: report.head.sealedAt.toISOString() },
            ]
          : []),
        { name: 'problemCount', valueInteger: report.problemCount },
        ...(report.firstProblem
          ? [{ name: 'firstProblem', valueString: problemText(report.firstProblem) }]
          : []),
      ];
      const body: Parameters = { resourceType: 'Parameters', parameter };
      return { status: 200, body };
    },
  };
}
