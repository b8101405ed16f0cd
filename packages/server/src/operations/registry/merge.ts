import type { OperationDefinition, Parameters } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import { mergePersons, type ResidentRegistry, resolvePerson, unmergePerson } from '@yiyun/mpi';
import type { Database } from '@yiyun/store';
import type { OperationSpec } from '../../fhir/operations/registry.ts';
import { assertRegistrySteward, patientIdParameter } from './parameters.ts';

function definition(code: 'merge' | 'unmerge', description: string): OperationDefinition {
  return {
    resourceType: 'OperationDefinition',
    url: `https://yiyun.dev/fhir/OperationDefinition/Patient-${code}`,
    name: code === 'merge' ? 'Merge' : 'Unmerge',
    title: code === 'merge' ? '合并居民 (merge)' : '撤销合并 (unmerge)',
    status: 'active',
    kind: 'operation',
    code,
    resource: ['Patient'],
    system: false,
    type: true,
    instance: false,
    description,
    parameter: [
      { name: 'source-patient', use: 'in', min: 1, max: '1', type: 'Reference' },
      ...(code === 'merge'
        ? [{ name: 'target-patient', use: 'in' as const, min: 1, max: '1', type: 'Reference' as const }]
        : []),
      { name: 'result-patient', use: 'out', min: 1, max: '1', type: 'Reference' },
    ],
  };
}

async function person(registry: ResidentRegistry, id: string | undefined, role: string): Promise<string> {
  if (!id) throw new AppError('invalid', `${role} is required`);
  const found = await resolvePerson(registry.queryable, id);
  if (!found) throw new AppError('not-found', `${role} ${id} is not in the resident registry`);
  return found;
}

/**
 * `Patient/$merge`: the regional person of `source-patient` (a golden record or any of its source
 * records) is merged into that of `target-patient`. Links move; no institution's record changes.
 */
export function mergeOperation(registry: ResidentRegistry, database: Database): OperationSpec {
  return {
    name: 'merge',
    levels: ['type'],
    resourceTypes: ['Patient'],
    methods: ['POST'],
    definition: definition('merge', 'Merges two regional persons (reversible with $unmerge).'),
    async handle(invocation, ctx) {
      const actor = assertRegistrySteward(ctx);
      const source = await person(
        registry,
        patientIdParameter(invocation.request, 'source-patient'),
        'source-patient',
      );
      const target = await person(
        registry,
        patientIdParameter(invocation.request, 'target-patient'),
        'target-patient',
      );
      const merge = await mergePersons(database, source, target, actor);
      const body: Parameters = {
        resourceType: 'Parameters',
        parameter: [
          { name: 'result-patient', valueReference: { reference: `Patient/${target}` } },
          { name: 'merge', valueString: merge },
        ],
      };
      return { status: 200, body };
    },
  };
}

/** `Patient/$unmerge`: undoes the latest merge of the merged person `source-patient`, restoring both. */
export function unmergeOperation(registry: ResidentRegistry, database: Database): OperationSpec {
  return {
    name: 'unmerge',
    levels: ['type'],
    resourceTypes: ['Patient'],
    methods: ['POST'],
    definition: definition(
      'unmerge',
      'Restores a merged regional person with exactly the records the merge moved.',
    ),
    async handle(invocation, ctx) {
      const actor = assertRegistrySteward(ctx);
      const id = patientIdParameter(invocation.request, 'source-patient');
      if (!id) throw new AppError('invalid', 'source-patient is required');
      // The merged person's own id (it no longer resolves to itself once merged).
      const rows = await registry.queryable.unsafe<{ id: string }[]>(
        'select id from mpi_person where id = $1::text',
        [id],
      );
      if (!rows[0]) throw new AppError('not-found', `source-patient ${id} is not a regional person`);
      const { restored, target } = await unmergePerson(database, id, actor);
      const body: Parameters = {
        resourceType: 'Parameters',
        parameter: [
          { name: 'result-patient', valueReference: { reference: `Patient/${id}` } },
          { name: 'target-patient', valueReference: { reference: `Patient/${target}` } },
          ...restored.map((r) => ({ name: 'restored', valueReference: { reference: `Patient/${r}` } })),
        ],
      };
      return { status: 200, body };
    },
  };
}
