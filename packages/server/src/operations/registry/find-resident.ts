import type {
  Bundle,
  BundleEntry,
  Extension,
  OperationDefinition,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import { personMembers, type ResidentRegistry } from '@yiyun/mpi';
import type { OperationSpec } from '../../fhir/operations/registry.ts';
import { searchByIds } from '../../fhir/search-by-ids.ts';
import type { FhirContext } from '../../fhir/types.ts';
import { goldenOf } from '../../registry/linked-repository.ts';
import { stringParameter } from './parameters.ts';

export const RECORD_HOLDER = 'https://yiyun.dev/fhir/StructureDefinition/record-holder';
/** Persons looked at per query before access rules: a common name may match hundreds of records. */
const CANDIDATE_RECORDS = 400;

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'https://yiyun.dev/fhir/OperationDefinition/Patient-find-resident',
  name: 'FindResident',
  title: '查找居民 ($find-resident)',
  status: 'active',
  kind: 'operation',
  code: 'find-resident',
  resource: ['Patient'],
  system: false,
  type: true,
  instance: false,
  description:
    'One search box over the resident registry: `q` is an 18-digit resident ID or health card ' +
    'number, a mobile number, or a name in characters, pinyin or Latin letters (either order). ' +
    'Returns a searchset of regional persons, each once, as golden Patients composed from the ' +
    'records the caller may see, with an extension ' +
    RECORD_HOLDER +
    ' per institution holding one of those records. Persons the caller may see no record of are ' +
    'not returned, nor counted.',
  parameter: [
    { name: 'q', use: 'in', min: 1, max: '1', type: 'string' },
    { name: 'count', use: 'in', min: 0, max: '1', type: 'integer' },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'Bundle' as never },
  ],
};

async function visibleById<T extends Resource>(
  ctx: FhirContext,
  resourceType: T['resourceType'],
  ids: readonly string[],
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  if (ids.length === 0) return out;
  const found = await ctx.repo.search(searchByIds(resourceType, ids));
  for (const r of found.matches) out.set(r.id, r as T);
  return out;
}

function countParameter(raw: string | undefined): number {
  if (raw === undefined) return 20;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 50) throw new AppError('invalid', 'count must be 1–50');
  return n;
}

/** `Patient/$find-resident?q=…`: the clinician's search box (issue #7). */
export function findResidentOperation(registry: ResidentRegistry): OperationSpec {
  return {
    name: 'find-resident',
    levels: ['type'],
    resourceTypes: ['Patient'],
    methods: ['GET', 'POST'],
    definition,
    async handle(invocation, ctx) {
      const q = stringParameter(invocation.request, 'q')?.trim() ?? '';
      if (q.length === 0 || q.length > 100) throw new AppError('invalid', 'q must be 1–100 characters');
      const count = countParameter(stringParameter(invocation.request, 'count'));
      const found = await registry.find(q, CANDIDATE_RECORDS);
      if (found === undefined)
        throw new AppError('invalid', 'q must be a name of at least 2 characters, an ID number or a phone');
      const persons = [...new Set(found.map((f) => f.personId))];
      const members = await personMembers(registry.queryable, persons);
      const records = await visibleById<Patient>(ctx, 'Patient', [...members.values()].flat());
      const shown: { person: string; records: Patient[] }[] = [];
      for (const person of persons) {
        const visible = (members.get(person) ?? []).flatMap((id) => records.get(id) ?? []);
        if (visible.length > 0) shown.push({ person, records: visible });
        if (shown.length >= count) break;
      }
      const holderIds = new Set(
        shown.flatMap((s) => s.records.map((r) => r.managingOrganization?.reference?.split('/')[1] ?? '')),
      );
      holderIds.delete('');
      const organizations = await visibleById<{ resourceType: 'Organization'; id: string; name?: string }>(
        ctx,
        'Organization',
        [...holderIds],
      );
      const entries: BundleEntry[] = shown.map(({ person, records: visible }) => {
        const golden = goldenOf(person, visible);
        const holders = [...new Set(visible.map((r) => r.managingOrganization?.reference ?? ''))].filter(
          Boolean,
        );
        const extension: Extension[] = holders.map((reference) => {
          const name = organizations.get(reference.split('/')[1] ?? '')?.name;
          return { url: RECORD_HOLDER, valueReference: { reference, ...(name ? { display: name } : {}) } };
        });
        return {
          fullUrl: `${ctx.config.baseUrl}/Patient/${person}`,
          resource: { ...golden, extension: [...(golden.extension ?? []), ...extension] },
          search: { mode: 'match' },
        };
      });
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'searchset',
        total: entries.length,
        entry: entries,
      };
      return { status: 200, body: bundle };
    },
  };
}
