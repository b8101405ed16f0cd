import type { Group, OperationDefinition } from '@medplum/fhirtypes';
import { AppError, dateRange } from '@yiyun/fhir';
import type { JobStore } from '@yiyun/store';
import type { OperationSpec } from '../fhir/operations/registry.ts';
import type { ExportRequest } from './export-job.ts';

const FORMATS = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export',
  name: 'export',
  status: 'active',
  kind: 'operation',
  code: 'export',
  system: true,
  type: true,
  instance: true,
  resource: ['Patient', 'Group'],
  parameter: [
    { name: '_outputFormat', use: 'in', min: 0, max: '1', type: 'string' },
    { name: '_since', use: 'in', min: 0, max: '1', type: 'instant' },
    { name: '_type', use: 'in', min: 0, max: '*', type: 'string' },
  ],
};

/** Patient ids of a Group's members (`Group.member.entity` references to Patient). */
function groupPatientIds(group: Group): string[] {
  const ids: string[] = [];
  for (const member of group.member ?? []) {
    const match = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(member.entity.reference ?? '');
    if (match) ids.push(match[1]!);
  }
  return ids;
}

function parseTypes(query: URLSearchParams, known: ReadonlySet<string>): string[] | undefined {
  const raw = query
    .getAll('_type')
    .flatMap((v) => v.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  for (const type of raw)
    if (!known.has(type)) throw new AppError('invalid', `_type: unknown resource type ${type}`);
  return raw.length ? raw : undefined;
}

/**
 * FHIR Bulk Data `$export` kick-off (https://hl7.org/fhir/uv/bulkdata/export.html): system,
 * Patient and Group level; queues a job and answers 202 with the status URL.
 */
export function exportOperation(deps: {
  jobs: JobStore;
  statusUrl: (id: string) => string;
  onSubmit: () => void;
}): OperationSpec {
  return {
    name: 'export',
    levels: ['system', 'type', 'instance'],
    resourceTypes: ['Patient', 'Group'],
    methods: ['GET', 'POST'],
    definition,
    async handle(invocation, ctx) {
      const query = invocation.request.query;
      const format = query.get('_outputFormat');
      if (format && !FORMATS.has(format))
        throw new AppError('invalid', `_outputFormat ${format} is not supported`);
      const sinceRaw = query.get('_since');
      const since = sinceRaw ? dateRange(sinceRaw)?.low : undefined;
      if (sinceRaw && !since) throw new AppError('invalid', `_since: not an instant: ${sinceRaw}`);
      if (invocation.level === 'type' && invocation.resourceType === 'Group') {
        throw new AppError('invalid', 'Group export needs a Group id: /Group/[id]/$export');
      }
      if (invocation.level === 'instance' && invocation.resourceType === 'Patient') {
        throw new AppError('invalid', 'Use /Patient/$export for patients, /Group/[id]/$export for a group');
      }
      const level =
        invocation.level === 'system' ? 'system' : invocation.resourceType === 'Group' ? 'group' : 'patient';
      const patientIds =
        level === 'group'
          ? groupPatientIds((await ctx.repo.read('Group', invocation.id!)) as Group)
          : undefined;
      const request: ExportRequest = {
        level,
        types: parseTypes(query, ctx.resourceTypes),
        since: since ?? undefined,
        patientIds,
        requestUrl: `${ctx.config.baseUrl}/${invocation.request.parts.join('/')}${query.size ? `?${query}` : ''}`,
        // The job runs later, maybe on another replica: it exports what the requester may see.
        ...(ctx.authorization ? { access: ctx.authorization.scope } : {}),
        transactionTime: new Date().toISOString(),
      };
      const job = await deps.jobs.submit('export', request as unknown as Record<string, unknown>);
      deps.onSubmit();
      return { status: 202, headers: { 'content-location': deps.statusUrl(job.id) } };
    },
  };
}
