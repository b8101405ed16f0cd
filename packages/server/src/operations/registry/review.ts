import type { OperationDefinition, Parameters, ParametersParameter } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import {
  acceptReview,
  type FieldEvidence,
  listMerges,
  listReviews,
  type MatchRecord,
  personMembers,
  type ResidentRegistry,
  rejectReview,
  storedRecords,
} from '@yiyun/mpi';
import type { Database } from '@yiyun/store';
import type { OperationSpec } from '../../fhir/operations/registry.ts';
import { assertRegistrySteward, stringParameter } from './parameters.ts';

function definition(code: string, title: string, description: string): OperationDefinition {
  return {
    resourceType: 'OperationDefinition',
    url: `https://yiyun.dev/fhir/OperationDefinition/${code}`,
    name: code.replace(/-(.)/g, (_, c: string) => c.toUpperCase()),
    title,
    status: 'active',
    kind: 'operation',
    code,
    system: true,
    type: false,
    instance: false,
    description,
  };
}

function evidenceParts(evidence: readonly FieldEvidence[]): ParametersParameter[] {
  return evidence
    .filter((e) => e.level !== null)
    .map((e) => ({
      name: 'evidence',
      part: [
        { name: 'field', valueCode: e.field },
        { name: 'level', valueCode: e.level ?? '' },
        { name: 'weight', valueDecimal: e.weight },
      ],
    }));
}

/** Keeps the first 4 and last 4 characters (ID numbers) or the first 3 and last 4 (mobiles). */
function masked(value: string, head: number): string {
  return value.length <= head + 4
    ? '*'.repeat(value.length)
    : `${value.slice(0, head)}${'*'.repeat(value.length - head - 4)}${value.slice(-4)}`;
}

/**
 * What the steward compares side by side, from the registry's own normalised copy of each record
 * (the steward reads no clinical data): name, birth date, sex, institution, and the ID number and
 * phone masked (the evidence says whether they agree).
 */
function recordFacts(name: string, record: MatchRecord | undefined): ParametersParameter {
  const part: ParametersParameter[] = [];
  const add = (n: string, value: string | null | undefined) => {
    if (value) part.push({ name: n, valueString: value });
  };
  if (record) {
    add('name', record.name?.han[0] ?? record.name?.forms[0]);
    add('birthDate', record.birthDate);
    add('gender', record.gender);
    add('custodian', record.custodian);
    add('residentId', record.residentId ? masked(record.residentId, 4) : null);
    add('phone', record.phones[0] ? masked(record.phones[0], 3) : null);
  }
  return { name, part };
}

/** `_count` (1–200, default 50) and `_offset` of a registry list. */
function pageOf(q: URLSearchParams): { count: number; offset: number } {
  return {
    count: Math.min(200, Math.max(1, Number(q.get('_count') ?? 50) || 50)),
    offset: Math.max(0, Number(q.get('_offset') ?? 0) || 0),
  };
}

/** `$mpi-review-queue`: possible matches awaiting a decision, most likely first, with per-field evidence. */
export function reviewQueueOperation(registry: ResidentRegistry): OperationSpec {
  return {
    name: 'mpi-review-queue',
    levels: ['system'],
    methods: ['GET'],
    definition: definition(
      'mpi-review-queue',
      '待审核的疑似重复 (review queue)',
      'Lists review items (status open|accepted|rejected).',
    ),
    async handle(invocation, ctx) {
      assertRegistrySteward(ctx);
      const q = invocation.request.query;
      const status = q.get('status') ?? 'open';
      if (!['open', 'accepted', 'rejected', 'obsolete'].includes(status))
        throw new AppError('invalid', 'status must be open, accepted, rejected or obsolete');
      const { count, offset } = pageOf(q);
      const { items, total } = await listReviews(registry.queryable, { status, count, offset });
      const records = await storedRecords(
        registry.queryable,
        items.flatMap((i) => [i.patientId, i.candidatePatientId]),
      );
      const body: Parameters = {
        resourceType: 'Parameters',
        parameter: [
          { name: 'total', valueInteger: total },
          ...items.map((i) => ({
            name: 'item',
            part: [
              { name: 'id', valueString: i.id },
              { name: 'patient', valueReference: { reference: `Patient/${i.patientId}` } },
              { name: 'candidate', valueReference: { reference: `Patient/${i.candidatePatientId}` } },
              { name: 'candidatePerson', valueReference: { reference: `Patient/${i.candidatePersonId}` } },
              { name: 'probability', valueDecimal: Math.round(i.probability * 10_000) / 10_000 },
              { name: 'weight', valueDecimal: i.weight },
              { name: 'status', valueCode: i.status },
              { name: 'created', valueInstant: i.createdAt },
              recordFacts('patientFacts', records.get(i.patientId)?.record),
              recordFacts('candidateFacts', records.get(i.candidatePatientId)?.record),
              ...evidenceParts(i.evidence as FieldEvidence[]),
            ],
          })),
        ],
      };
      return { status: 200, body };
    },
  };
}

/**
 * `$mpi-merges`: merges not yet undone, newest first, each with the facts of the records it moved and
 * of the target person's own records, so the steward sees what `Patient/$unmerge` would separate.
 */
export function mergesOperation(registry: ResidentRegistry): OperationSpec {
  return {
    name: 'mpi-merges',
    levels: ['system'],
    methods: ['GET'],
    definition: definition(
      'mpi-merges',
      '已合并的居民 (merges that may be undone)',
      'Lists merges not undone, newest first (undo one with Patient/$unmerge of its source).',
    ),
    async handle(invocation, ctx) {
      assertRegistrySteward(ctx);
      const q = invocation.request.query;
      const { count, offset } = pageOf(q);
      const { items, total } = await listMerges(registry.queryable, { count, offset });
      const members = await personMembers(
        registry.queryable,
        items.map((m) => m.targetPersonId),
      );
      // The target's own records: its members now, less those the merge moved in.
      const merges = items.map((m) => ({
        ...m,
        kept: (members.get(m.targetPersonId) ?? []).filter((p) => !m.patientIds.includes(p)),
      }));
      const records = await storedRecords(
        registry.queryable,
        merges.flatMap((m) => [...m.patientIds, ...m.kept]),
      );
      const facts = (name: string, ids: readonly string[]) =>
        ids.map((id) => {
          const { part = [] } = recordFacts(name, records.get(id)?.record);
          return { name, part: [{ name: 'record', valueString: id }, ...part] };
        });
      const body: Parameters = {
        resourceType: 'Parameters',
        parameter: [
          { name: 'total', valueInteger: total },
          ...merges.map((m) => ({
            name: 'merge',
            part: [
              { name: 'id', valueString: m.id },
              { name: 'source', valueReference: { reference: `Patient/${m.sourcePersonId}` } },
              { name: 'target', valueReference: { reference: `Patient/${m.targetPersonId}` } },
              { name: 'at', valueInstant: m.at },
              ...facts('movedFacts', m.patientIds),
              ...facts('targetFacts', m.kept),
            ],
          })),
        ],
      };
      return { status: 200, body };
    },
  };
}

/** `$mpi-review-decide`: `item` and `decision` (link = the same person, reject = not the same person). */
export function reviewDecideOperation(database: Database): OperationSpec {
  return {
    name: 'mpi-review-decide',
    levels: ['system'],
    methods: ['POST'],
    definition: definition(
      'mpi-review-decide',
      '审核疑似重复 (review decision)',
      'Decides a review item: link (merge, reversible) or reject.',
    ),
    async handle(invocation, ctx) {
      const actor = assertRegistrySteward(ctx);
      const item = stringParameter(invocation.request, 'item');
      const decision = stringParameter(invocation.request, 'decision');
      if (!item) throw new AppError('invalid', 'item is required');
      const out: ParametersParameter[] = [{ name: 'item', valueString: item }];
      if (decision === 'link') {
        const { merge, person } = await acceptReview(database, item, actor);
        out.push({ name: 'person', valueReference: { reference: `Patient/${person}` } });
        if (merge) out.push({ name: 'merge', valueString: merge });
      } else if (decision === 'reject') {
        await rejectReview(database, item, actor, stringParameter(invocation.request, 'note'));
      } else throw new AppError('invalid', 'decision must be link or reject');
      out.push({ name: 'decision', valueCode: decision });
      return { status: 200, body: { resourceType: 'Parameters', parameter: out } satisfies Parameters };
    },
  };
}
