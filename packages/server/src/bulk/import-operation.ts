import type { OperationDefinition, Parameters, ParametersParameter } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import type { JobStore } from '@yiyun/store';
import type { OperationSpec } from '../fhir/operations/registry.ts';
import type { ImportRequest } from './import-job.ts';
import { checkInput, type ImportInput, type SourcePolicy } from './import-sources.ts';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/import',
  name: 'import',
  status: 'active',
  kind: 'operation',
  code: 'import',
  system: true,
  type: false,
  instance: false,
  parameter: [
    { name: 'inputFormat', use: 'in', min: 0, max: '1', type: 'code' },
    { name: 'inputSource', use: 'in', min: 0, max: '1', type: 'uri' },
    {
      name: 'input',
      use: 'in',
      min: 1,
      max: '*',
      part: [
        { name: 'type', use: 'in', min: 0, max: '1', type: 'code' },
        { name: 'url', use: 'in', min: 1, max: '1', type: 'uri' },
      ],
    },
  ],
};

function partValue(part: ParametersParameter | undefined): string | undefined {
  return part?.valueUri ?? part?.valueUrl ?? part?.valueCode ?? part?.valueString;
}

/** The inputs named by an `$import` Parameters resource (Bulk Data import, `input` parts). */
export function parseImportParameters(body: unknown): ImportInput[] {
  const params = body as Parameters | undefined;
  if (params?.resourceType !== 'Parameters')
    throw new AppError('invalid', '$import expects a Parameters resource');
  const format = partValue(params.parameter?.find((p) => p.name === 'inputFormat'));
  if (format && format !== 'application/fhir+ndjson' && format !== 'application/ndjson') {
    throw new AppError('invalid', `inputFormat ${format} is not supported (application/fhir+ndjson is)`);
  }
  const inputs = (params.parameter ?? [])
    .filter((p) => p.name === 'input')
    .map((p) => {
      const url = partValue(p.part?.find((q) => q.name === 'url'));
      if (!url) throw new AppError('invalid', '$import input needs a url part');
      return { type: partValue(p.part?.find((q) => q.name === 'type')), url };
    });
  if (inputs.length === 0) throw new AppError('invalid', '$import needs at least one input');
  return inputs;
}

/** `POST /$import`: checks every input, queues a job, answers 202 with the status URL. */
export function importOperation(deps: {
  jobs: JobStore;
  policy: SourcePolicy;
  statusUrl: (id: string) => string;
  onSubmit: () => void;
}): OperationSpec {
  return {
    name: 'import',
    levels: ['system'],
    methods: ['POST'],
    definition,
    async handle(invocation, ctx) {
      const inputs = parseImportParameters(invocation.request.body);
      for (const input of inputs) checkInput(input, deps.policy);
      const request: ImportRequest = {
        inputs,
        requestUrl: `${ctx.config.baseUrl}/$import`,
        transactionTime: new Date().toISOString(),
      };
      const job = await deps.jobs.submit('import', request as unknown as Record<string, unknown>);
      deps.onSubmit();
      return { status: 202, headers: { 'content-location': deps.statusUrl(job.id) } };
    },
  };
}
