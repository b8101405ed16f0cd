import type { Bundle, BundleEntry, Extension, OperationDefinition, Patient } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import type { FieldEvidence, ResidentRegistry } from '@yiyun/mpi';
import type { OperationSpec } from '../../fhir/operations/registry.ts';
import { searchByIds } from '../../fhir/search-by-ids.ts';
import { inputParameter } from './parameters.ts';

const MATCH_GRADE = 'http://hl7.org/fhir/StructureDefinition/match-grade';
export const MATCH_EVIDENCE = 'https://yiyun.dev/fhir/StructureDefinition/match-evidence';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'https://yiyun.dev/fhir/OperationDefinition/Patient-match',
  name: 'Match',
  title: '居民匹配 (PDQm ITI-119 $match)',
  status: 'active',
  kind: 'operation',
  code: 'match',
  resource: ['Patient'],
  system: false,
  type: true,
  instance: false,
  description:
    'Scores the demographics of `resource` against the resident registry (Fellegi–Sunter with ' +
    'frequency adjustment). Returns the records the caller may see, best first, with search.score, ' +
    'the match-grade extension and the per-field evidence (extension ' +
    MATCH_EVIDENCE +
    ').',
  parameter: [
    { name: 'resource', use: 'in', min: 1, max: '1', type: 'Patient' as never },
    { name: 'onlyCertainMatches', use: 'in', min: 0, max: '1', type: 'boolean' },
    { name: 'count', use: 'in', min: 0, max: '1', type: 'integer' },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'Bundle' as never },
  ],
};

function evidenceExtension(evidence: readonly FieldEvidence[]): Extension {
  return {
    url: MATCH_EVIDENCE,
    extension: evidence
      .filter((e) => e.level !== null)
      .map((e) => ({
        url: e.field,
        extension: [
          { url: 'level', valueCode: e.level ?? '' },
          { url: 'weight', valueDecimal: e.weight },
          ...(e.frequencyAdjustment
            ? [{ url: 'frequencyAdjustment', valueDecimal: e.frequencyAdjustment }]
            : []),
        ],
      })),
  };
}

/** `Patient/$match` (FHIR R4 §patient-operation-match; IHE PDQm ITI-119). */
export function matchOperation(registry: ResidentRegistry): OperationSpec {
  return {
    name: 'match',
    levels: ['type'],
    resourceTypes: ['Patient'],
    methods: ['POST'],
    definition,
    async handle(invocation, ctx) {
      const input = inputParameter(invocation.request, 'resource')?.resource as Patient | undefined;
      if (input?.resourceType !== 'Patient')
        throw new AppError('invalid', '$match needs a Patient in the "resource" parameter');
      ctx.validator.assertValid({ ...input, id: input.id ?? 'match-input' });
      const count = inputParameter(invocation.request, 'count')?.valueInteger ?? 10;
      if (!Number.isInteger(count) || count < 1 || count > 100)
        throw new AppError('invalid', 'count must be 1–100');
      const onlyCertain = inputParameter(invocation.request, 'onlyCertainMatches')?.valueBoolean === true;
      const candidates = (await registry.match(input, { count: count * 3 })).filter(
        (c) => !onlyCertain || c.grade === 'certain',
      );
      // One search for all candidates: the caller's access rules decide which exist for them.
      const visible = new Map<string, Patient>();
      if (candidates.length) {
        const found = await ctx.repo.search(
          searchByIds(
            'Patient',
            candidates.map((c) => c.patientId),
          ),
        );
        for (const p of found.matches) visible.set(p.id, p as Patient);
      }
      const entries: BundleEntry[] = [];
      for (const c of candidates) {
        const patient = visible.get(c.patientId);
        if (!patient) continue; // not visible to the caller: not even its existence
        if (entries.length >= count) break;
        entries.push({
          fullUrl: `${ctx.config.baseUrl}/Patient/${patient.id}`,
          resource: patient,
          search: {
            mode: 'match',
            score: Math.round(c.score.probability * 10_000) / 10_000,
            extension: [{ url: MATCH_GRADE, valueCode: c.grade }, evidenceExtension(c.score.evidence)],
          },
        });
      }
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
