import type { OperationDefinition } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import type { JobStore, Store } from '@yiyun/store';
import type { JobHandler } from '../bulk/job-runner.ts';
import type { OperationSpec } from '../fhir/operations/registry.ts';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'http://yiyun.example/OperationDefinition/reindex',
  name: 'reindex',
  status: 'active',
  kind: 'operation',
  code: 'reindex',
  system: true,
  type: true,
  instance: false,
  description:
    'Activates the stored custom SearchParameter resources on every server and rebuilds the search ' +
    'index of the resource types they apply to (or of `_type`, or of one type at type level). Asynchronous: ' +
    'answers 202 with a status URL (Content-Location), like $export.',
  parameter: [{ name: '_type', use: 'in', min: 0, max: '*', type: 'code' }],
};

interface ReindexRequest {
  readonly types?: readonly string[];
}

/** The job: activate, then rebuild the index of the requested or affected types. */
export function reindexJobHandler(store: Store): JobHandler {
  return async (job, report) => {
    const request = job.request as ReindexRequest;
    const activation = await store.activateSearchParameters();
    const types = request.types?.length ? request.types : activation.affectedTypes;
    const reindexed = await store.reindex(types, (done) => report({ reindexed: done }));
    return { activeSearchParameters: activation.active, invalid: activation.invalid, types, reindexed };
  };
}

export function reindexOperation(deps: {
  jobs: JobStore;
  statusUrl: (id: string) => string;
  onSubmit: () => void;
}): OperationSpec {
  return {
    name: 'reindex',
    levels: ['system', 'type'],
    methods: ['POST'],
    definition,
    async handle(invocation, ctx) {
      const requested = invocation.request.query
        .getAll('_type')
        .flatMap((v) => v.split(','))
        .map((t) => t.trim())
        .filter(Boolean);
      for (const type of requested)
        if (!ctx.resourceTypes.has(type)) throw new AppError('invalid', `_type: unknown type ${type}`);
      const types = invocation.level === 'type' ? [invocation.resourceType!] : requested;
      const job = await deps.jobs.submit('reindex', { types });
      deps.onSubmit();
      return { status: 202, headers: { 'content-location': deps.statusUrl(job.id) } };
    },
  };
}
