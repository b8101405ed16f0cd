import { AppError } from '@yiyun/fhir';
import type { Database, Queryable } from '@yiyun/store';
import { asQueryable } from '@yiyun/store';

/** Person-level reads and operator decisions: merge, unmerge, review accept/reject (PMIR ITI-104 semantics). */

export interface LinkEvent {
  readonly seq: string;
  readonly patientId: string;
  readonly personId: string | null;
  readonly previousPersonId: string | null;
  readonly action: string;
  readonly kind: string | null;
  readonly probability: number | null;
  readonly actor: string | null;
  readonly at: string;
}

export interface ReviewRow {
  readonly id: string;
  readonly patientId: string;
  readonly candidatePersonId: string;
  readonly candidatePatientId: string;
  readonly probability: number;
  readonly weight: number;
  readonly evidence: unknown;
  readonly status: string;
  readonly createdAt: string;
}

export async function personOf(q: Queryable, patientId: string): Promise<string | null> {
  const rows = await q.unsafe<{ person_id: string }[]>(
    'select person_id from patient_person where patient_id = $1::text',
    [patientId],
  );
  return rows[0]?.person_id ?? null;
}

/** The person an id names: a person id itself (following merges), or the person of a Patient record. */
export async function resolvePerson(q: Queryable, id: string): Promise<string | null> {
  const rows = await q.unsafe<{ id: string; status: string; merged_into: string | null }[]>(
    'select id, status, merged_into from mpi_person where id = $1::text',
    [id],
  );
  const p = rows[0];
  if (p) return p.status === 'merged' && p.merged_into ? resolvePerson(q, p.merged_into) : p.id;
  return personOf(q, id);
}

export async function isPerson(q: Queryable, id: string): Promise<boolean> {
  const rows = await q.unsafe('select 1 from mpi_person where id = $1::text', [id]);
  return rows.length > 0;
}

export async function membersOf(q: Queryable, personId: string): Promise<string[]> {
  const rows = await q.unsafe<{ patient_id: string }[]>(
    'select patient_id from patient_person where person_id = $1::text order by patient_id',
    [personId],
  );
  return rows.map((r) => r.patient_id);
}

export async function linkHistory(
  q: Queryable,
  filter: { patientId?: string; personId?: string },
): Promise<LinkEvent[]> {
  const rows = await q.unsafe<Record<string, unknown>[]>(
    `select seq::text, patient_id, person_id, previous_person_id, action, kind, probability, actor, at
     from mpi_link_event
     where ($1::text is null or patient_id = $1::text)
       and ($2::text is null or person_id = $2::text or previous_person_id = $2::text)
     order by seq limit 1000`,
    [filter.patientId ?? null, filter.personId ?? null],
  );
  return rows.map((r) => ({
    seq: String(r['seq']),
    patientId: String(r['patient_id']),
    personId: (r['person_id'] as string | null) ?? null,
    previousPersonId: (r['previous_person_id'] as string | null) ?? null,
    action: String(r['action']),
    kind: (r['kind'] as string | null) ?? null,
    probability: (r['probability'] as number | null) ?? null,
    actor: (r['actor'] as string | null) ?? null,
    at: new Date(r['at'] as string).toISOString(),
  }));
}

async function move(
  tx: Queryable,
  patients: readonly string[],
  to: string,
  action: string,
  actor: string,
): Promise<void> {
  if (patients.length === 0) return;
  await tx.unsafe(
    `insert into mpi_link_event (patient_id, person_id, previous_person_id, action, kind, actor)
     select patient_id, $2::text, person_id, $3::text, 'manual', $4::text
     from mpi_record where patient_id = any($1::text[])`,
    [patients, to, action, actor],
  );
  await tx.unsafe('update patient_person set person_id = $2::text where patient_id = any($1::text[])', [
    patients,
    to,
  ]);
  await tx.unsafe(
    `update mpi_record set person_id = $2::text, link_kind = 'manual', linked_at = now()
     where patient_id = any($1::text[])`,
    [patients, to],
  );
}

async function lock(tx: Queryable): Promise<void> {
  await tx.unsafe('select pg_advisory_xact_lock($1::int8)', [720_190_501]);
}

async function activePerson(tx: Queryable, id: string, role: string): Promise<string> {
  const rows = await tx.unsafe<{ status: string }[]>(
    'select status from mpi_person where id = $1::text for update',
    [id],
  );
  if (!rows[0]) throw new AppError('not-found', `No regional person ${id} (${role})`);
  if (rows[0].status !== 'active')
    throw new AppError('conflict', `The ${role} person ${id} is ${rows[0].status}`);
  return id;
}

/**
 * Merges person `source` into `target`: every record of the source moves to the target (operator
 * decision, kept by later re-matching); the source is marked merged. Records are never rewritten:
 * institutions' references keep resolving through the links. Returns the merge id for unmerge.
 */
export async function mergePersons(
  db: Database,
  source: string,
  target: string,
  actor: string,
): Promise<string> {
  if (source === target) throw new AppError('invalid', 'source and target are the same person');
  return db.sql.begin(async (t) => {
    const tx = asQueryable(t);
    await lock(tx);
    await activePerson(tx, source, 'source');
    await activePerson(tx, target, 'target');
    const patients = await membersOf(tx, source);
    await move(tx, patients, target, 'merge', actor);
    await tx.unsafe(
      `update mpi_person set status = 'merged', merged_into = $2::text, updated_at = now() where id = $1::text`,
      [source, target],
    );
    await tx.unsafe(`update mpi_person set updated_at = now() where id = $1::text`, [target]);
    const rows = await tx.unsafe<{ id: string }[]>(
      `insert into mpi_merge (source_person, target_person, patients, actor) values ($1::text, $2::text, $3::text[], $4::text)
       returning id::text`,
      [source, target, patients, actor],
    );
    return rows[0]!.id;
  });
}

/**
 * Undoes the latest merge of `source`: the records it moved (and that are still with the target)
 * return to the source person, which is active again; each is recorded as not the target person so
 * re-matching does not merge them again. Both persons end up with exactly their former records.
 */
export async function unmergePerson(
  db: Database,
  source: string,
  actor: string,
): Promise<{ restored: string[]; target: string }> {
  return db.sql.begin(async (t) => {
    const tx = asQueryable(t);
    await lock(tx);
    const rows = await tx.unsafe<{ id: string; target_person: string; patients: string[] }[]>(
      `select id::text, target_person, patients from mpi_merge
       where source_person = $1::text and undone_at is null order by id desc limit 1 for update`,
      [source],
    );
    const merge = rows[0];
    if (!merge) throw new AppError('not-found', `Person ${source} has no merge to undo`);
    const still = await tx.unsafe<{ patient_id: string }[]>(
      'select patient_id from mpi_record where patient_id = any($1::text[]) and person_id = $2::text',
      [merge.patients, merge.target_person],
    );
    const restored = still.map((r) => r.patient_id);
    await move(tx, restored, source, 'unmerge', actor);
    await tx.unsafe(
      `insert into mpi_nonmatch (patient_id, person_id, decided_by) select unnest($1::text[]), $2::text, $3::text
       on conflict do nothing`,
      [restored, merge.target_person, actor],
    );
    await tx.unsafe(
      `update mpi_person set status = 'active', merged_into = null, updated_at = now() where id = $1::text`,
      [source],
    );
    await tx.unsafe('update mpi_merge set undone_at = now(), undone_by = $2::text where id = $1::int8', [
      merge.id,
      actor,
    ]);
    return { restored, target: merge.target_person };
  });
}

export interface MergeRow {
  readonly id: string;
  readonly sourcePersonId: string;
  readonly targetPersonId: string;
  /** The records the merge moved from the source person to the target. */
  readonly patientIds: readonly string[];
  readonly actor: string | null;
  readonly at: string;
}

/** Merges not undone, newest first (what the steward may still unmerge). */
export async function listMerges(
  q: Queryable,
  options: { count?: number; offset?: number } = {},
): Promise<{ items: MergeRow[]; total: number }> {
  const rows = await q.unsafe<
    {
      id: string;
      source_person: string;
      target_person: string;
      patients: string[];
      actor: string | null;
      at: string;
    }[]
  >(
    `select id::text, source_person, target_person, patients, actor, at from mpi_merge
     where undone_at is null order by id desc limit $1::int4 offset $2::int4`,
    [options.count ?? 50, options.offset ?? 0],
  );
  const total = await q.unsafe<{ n: string }[]>(
    'select count(*)::text as n from mpi_merge where undone_at is null',
  );
  return {
    total: Number(total[0]?.n ?? 0),
    items: rows.map((r) => ({
      id: r.id,
      sourcePersonId: r.source_person,
      targetPersonId: r.target_person,
      patientIds: r.patients,
      actor: r.actor,
      at: new Date(r.at).toISOString(),
    })),
  };
}

export async function listReviews(
  q: Queryable,
  options: { status?: string; count?: number; offset?: number } = {},
): Promise<{ items: ReviewRow[]; total: number }> {
  const status = options.status ?? 'open';
  const rows = await q.unsafe<Record<string, unknown>[]>(
    `select id::text, patient_id, candidate_person_id, candidate_patient_id, probability, weight, evidence, status, created_at
     from mpi_review where status = $1::text order by probability desc, id limit $2::int4 offset $3::int4`,
    [status, options.count ?? 50, options.offset ?? 0],
  );
  const total = await q.unsafe<{ n: string }[]>(
    'select count(*)::text as n from mpi_review where status = $1::text',
    [status],
  );
  return {
    total: Number(total[0]?.n ?? 0),
    items: rows.map((r) => ({
      id: String(r['id']),
      patientId: String(r['patient_id']),
      candidatePersonId: String(r['candidate_person_id']),
      candidatePatientId: String(r['candidate_patient_id']),
      probability: Number(r['probability']),
      weight: Number(r['weight']),
      evidence: r['evidence'],
      status: String(r['status']),
      createdAt: new Date(r['created_at'] as string).toISOString(),
    })),
  };
}

async function openReview(
  tx: Queryable,
  id: string,
): Promise<{ patient_id: string; candidate_person_id: string }> {
  const rows = await tx.unsafe<{ patient_id: string; candidate_person_id: string; status: string }[]>(
    'select patient_id, candidate_person_id, status from mpi_review where id = $1::int8 for update',
    [/^\d{1,18}$/.test(id) ? id : '0'],
  );
  const item = rows[0];
  if (!item) throw new AppError('not-found', `No review item ${id}`);
  if (item.status !== 'open') throw new AppError('conflict', `Review item ${id} is already ${item.status}`);
  return item;
}

/** Accept: the record's person is merged into the candidate person (reversible with unmerge). */
export async function acceptReview(
  db: Database,
  id: string,
  actor: string,
): Promise<{ merge: string; person: string }> {
  const item = await db.sql.begin(async (t) => openReview(asQueryable(t), id));
  const q = asQueryable(db.sql);
  const source = await personOf(q, item.patient_id);
  const target = await resolvePerson(q, item.candidate_person_id);
  if (!source || !target)
    throw new AppError('conflict', 'The records of this review item are no longer registered');
  const merge = source === target ? '' : await mergePersons(db, source, target, actor);
  await q.unsafe(
    `update mpi_review set status = case when id = $1::int8 then 'accepted' else 'obsolete' end,
       decided_at = now(), decided_by = $2::text
     where (id = $1::int8 or patient_id = $3::text) and status = 'open'`,
    [id, actor, item.patient_id],
  );
  return { merge, person: target };
}

/** Reject: "not the same person" — remembered, so later re-matching never proposes or links them. */
export async function rejectReview(db: Database, id: string, actor: string, note?: string): Promise<void> {
  await db.sql.begin(async (t) => {
    const tx = asQueryable(t);
    const item = await openReview(tx, id);
    await tx.unsafe(
      `insert into mpi_nonmatch (patient_id, person_id, decided_by) values ($1::text, $2::text, $3::text) on conflict do nothing`,
      [item.patient_id, item.candidate_person_id, actor],
    );
    await tx.unsafe(
      `update mpi_review set status = 'rejected', decided_at = now(), decided_by = $2::text, note = $3::text where id = $1::int8`,
      [id, actor, note ?? null],
    );
    await tx.unsafe(
      `update mpi_record set link_kind = 'new' where patient_id = $1::text and link_kind = 'review'
         and not exists (select 1 from mpi_review where patient_id = $1::text and status = 'open')`,
      [item.patient_id],
    );
  });
}
