import type { OperationDefinition, Parameters, ParametersParameter, Patient } from '@medplum/fhirtypes';
import { AppError, parseSearchRequest } from '@yiyun/fhir';
import { membersOf, type ResidentRegistry, resolvePerson } from '@yiyun/mpi';
import type { OperationSpec } from '../../fhir/operations/registry.ts';
import type { FhirContext } from '../../fhir/types.ts';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'https://profiles.ihe.net/ITI/PIXm/OperationDefinition/IHE.PIXm.pix',
  name: 'IHE_PIXm_pix',
  title: '标识交叉索引 (PIXm ITI-83 $ihe-pix)',
  status: 'active',
  kind: 'operation',
  code: 'ihe-pix',
  resource: ['Patient'],
  system: false,
  type: true,
  instance: false,
  description:
    'Returns the identifiers and records of the same regional person as `sourceIdentifier` ' +
    '(system|value), limited to `targetSystem` when given and to records the caller may see.',
  parameter: [
    { name: 'sourceIdentifier', use: 'in', min: 1, max: '1', type: 'string', searchType: 'token' },
    { name: 'targetSystem', use: 'in', min: 0, max: '*', type: 'uri' },
    { name: 'targetIdentifier', use: 'out', min: 0, max: '*', type: 'Identifier' },
    { name: 'targetId', use: 'out', min: 0, max: '*', type: 'Reference' },
  ],
};

async function visible(ctx: FhirContext, id: string): Promise<Patient | undefined> {
  try {
    return (await ctx.repo.read('Patient', id)) as Patient;
  } catch (err) {
    if (err instanceof AppError) return undefined;
    throw err;
  }
}

/** `Patient/$ihe-pix` (IHE PIXm ITI-83): identifier cross-reference through the registry. */
export function pixOperation(registry: ResidentRegistry): OperationSpec {
  return {
    name: 'ihe-pix',
    levels: ['type'],
    resourceTypes: ['Patient'],
    methods: ['GET', 'POST'],
    definition,
    async handle(invocation, ctx) {
      const q = invocation.request.query;
      const source = q.get('sourceIdentifier') ?? '';
      if (!/^[^|]+\|.+$/.test(source)) throw new AppError('invalid', 'sourceIdentifier must be system|value');
      const targets = q.getAll('targetSystem');
      const found = await ctx.repo.search(
        parseSearchRequest('Patient', new URLSearchParams({ identifier: source, _count: '5' }), ctx.registry),
      );
      // ITI-83: an unknown source identifier is a 404 with an OperationOutcome.
      if (found.matches.length === 0) throw new AppError('not-found', 'sourceIdentifier is not known');
      const out: ParametersParameter[] = [];
      const seen = new Set<string>();
      for (const match of found.matches) {
        const person = await resolvePerson(registry.queryable, match.id);
        if (!person || seen.has(person)) continue;
        seen.add(person);
        for (const id of await membersOf(registry.queryable, person)) {
          const p = id === match.id ? (match as Patient) : await visible(ctx, id);
          if (!p) continue;
          for (const identifier of p.identifier ?? []) {
            if (`${identifier.system}|${identifier.value}` === source) continue;
            if (targets.length && !targets.includes(identifier.system ?? '')) continue;
            out.push({ name: 'targetIdentifier', valueIdentifier: identifier });
          }
          out.push({ name: 'targetId', valueReference: { reference: `Patient/${id}` } });
        }
        out.push({
          name: 'targetId',
          valueReference: { reference: `Patient/${person}`, display: 'golden record' },
        });
      }
      const body: Parameters = { resourceType: 'Parameters', parameter: out };
      return { status: 200, body };
    },
  };
}
