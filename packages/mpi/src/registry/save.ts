import type { Queryable } from '@yiyun/store';
import type { FieldEvidence } from '../match/score.ts';
import type { MatchRecord } from '../normalize/record.ts';

/** How a record came to belong to its person. */
export type LinkKind = 'certain' | 'auto' | 'new' | 'review' | 'manual' | 'feed';

export interface LinkedRecord {
  readonly rid: string;
  readonly record: MatchRecord;
  readonly personId: string;
  readonly kind: LinkKind;
  readonly probability: number | null;
  readonly blocks: readonly string[];
  /** The person it was linked to before this batch (null: new to the registry). */
  readonly previousPersonId: string | null;
  readonly evidence: readonly FieldEvidence[] | null;
}

export interface ReviewItem {
  readonly patientId: string;
  readonly candidatePersonId: string;
  readonly candidatePatientId: string;
  readonly probability: number;
  readonly weight: number;
  readonly evidence: readonly FieldEvidence[];
}

export interface BatchWrite {
  readonly linked: readonly LinkedRecord[];
  readonly removed: readonly { patientId: string; personId: string }[];
  readonly newPersons: readonly string[];
  readonly reviews: readonly ReviewItem[];
  /** Name keys of records new to the registry (their frequency grows by one each). */
  readonly newNames: readonly string[];
  readonly actor: string;
}

function col<T, V>(items: readonly T[], fn: (t: T) => V): V[] {
  return items.map(fn);
}

/** Writes a batch's decisions in one statement per table (unnest of column arrays). */
export async function saveBatch(tx: Queryable, w: BatchWrite): Promise<void> {
  const ids = [...w.linked.map((l) => l.record.id), ...w.removed.map((r) => r.patientId)];
  if (ids.length) {
    await tx.unsafe('delete from mpi_block where patient_id = any($1::text[])', [ids]);
    await tx.unsafe(
      `update mpi_review set status = 'obsolete' where patient_id = any($1::text[]) and status = 'open'`,
      [ids],
    );
  }
  if (w.removed.length) {
    const gone = w.removed.map((r) => r.patientId);
    await tx.unsafe('delete from mpi_record where patient_id = any($1::text[])', [gone]);
    await tx.unsafe('delete from patient_person where patient_id = any($1::text[])', [gone]);
  }
  if (w.newPersons.length)
    await tx.unsafe('insert into mpi_person (id) select unnest($1::text[])', [w.newPersons]);
  const l = w.linked;
  if (l.length) {
    // Rows as one JSON document: postgres.js escapes array elements character by character, which
    // for JSON-valued columns cost more than the rest of the batch (profile of 150 k records).
    await tx.unsafe(
      `insert into mpi_record (patient_id, rid, custodian, person_id, link_kind, probability, features, flags)
       select u.p, u.r, u.c, u.s, u.k, u.q, u.f, u.g
       from jsonb_to_recordset($1::text::jsonb)
         as u(p text, r int8, c text, s text, k text, q float8, f jsonb, g text[])
       on conflict (patient_id) do update set rid = excluded.rid, custodian = excluded.custodian,
         person_id = excluded.person_id, link_kind = excluded.link_kind, probability = excluded.probability,
         features = excluded.features, flags = excluded.flags,
         linked_at = case when mpi_record.person_id = excluded.person_id then mpi_record.linked_at else now() end`,
      [
        JSON.stringify(
          l.map((x) => ({
            p: x.record.id,
            r: x.rid,
            c: x.record.custodian,
            s: x.personId,
            k: x.kind,
            q: x.probability,
            f: x.record,
            g: x.record.flags,
          })),
        ),
      ],
    );
    const keys: string[] = [];
    const owners: string[] = [];
    for (const x of l)
      for (const k of x.blocks) {
        keys.push(k);
        owners.push(x.record.id);
      }
    await tx.unsafe('insert into mpi_block (key, patient_id) select * from unnest($1::int8[], $2::text[])', [
      keys,
      owners,
    ]);
    await tx.unsafe(
      `insert into patient_person (patient_id, person_id) select * from unnest($1::text[], $2::text[])
       on conflict (patient_id) do update set person_id = excluded.person_id`,
      [col(l, (x) => x.record.id), col(l, (x) => x.personId)],
    );
  }
  await saveEvents(tx, w);
  await saveReviews(tx, w.reviews);
  await touchPersons(tx, w);
  if (w.newNames.length) {
    const counts = new Map<string, number>();
    for (const k of [...w.newNames, '']) counts.set(k, (counts.get(k) ?? 0) + 1);
    counts.set('', w.newNames.length);
    await tx.unsafe(
      `insert into mpi_name_frequency (key, n) select * from unnest($1::text[], $2::int8[])
       on conflict (key) do update set n = mpi_name_frequency.n + excluded.n`,
      [[...counts.keys()], [...counts.values()]],
    );
  }
}

async function saveEvents(tx: Queryable, w: BatchWrite): Promise<void> {
  const changed = w.linked.filter((x) => x.previousPersonId !== x.personId);
  const rows = [
    ...changed.map((x) => ({
      patient: x.record.id,
      person: x.personId as string | null,
      previous: x.previousPersonId,
      action: x.previousPersonId ? 'relink' : 'link',
      kind: x.kind as string | null,
      probability: x.probability,
      evidence: x.evidence,
    })),
    ...w.removed.map((r) => ({
      patient: r.patientId,
      person: null,
      previous: r.personId as string | null,
      action: 'unlink',
      kind: null,
      probability: null,
      evidence: null as LinkedRecord['evidence'],
    })),
  ];
  if (rows.length === 0) return;
  await tx.unsafe(
    `insert into mpi_link_event (patient_id, person_id, previous_person_id, action, kind, probability, evidence, actor)
     select u.patient, u.person, u.previous, u.action, u.kind, u.probability, u.evidence, $2::text
     from jsonb_to_recordset($1::text::jsonb)
       as u(patient text, person text, previous text, action text, kind text, probability float8, evidence jsonb)`,
    [JSON.stringify(rows), w.actor],
  );
}

async function saveReviews(tx: Queryable, reviews: readonly ReviewItem[]): Promise<void> {
  if (reviews.length === 0) return;
  await tx.unsafe(
    `insert into mpi_review (patient_id, candidate_person_id, candidate_patient_id, probability, weight, evidence)
     select u.a, u.b, u.c, u.d, u.e, u.f::jsonb
     from unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[]) as u(a, b, c, d, e, f)
     on conflict do nothing`,
    [
      col(reviews, (r) => r.patientId),
      col(reviews, (r) => r.candidatePersonId),
      col(reviews, (r) => r.candidatePatientId),
      col(reviews, (r) => r.probability),
      col(reviews, (r) => r.weight),
      col(reviews, (r) => JSON.stringify(r.evidence)),
    ],
  );
}

/** Persons whose membership changed: updated now; those left without records become `empty`. */
async function touchPersons(tx: Queryable, w: BatchWrite): Promise<void> {
  const touched = new Set<string>();
  for (const x of w.linked) {
    if (x.previousPersonId !== x.personId) {
      touched.add(x.personId);
      if (x.previousPersonId) touched.add(x.previousPersonId);
    }
  }
  for (const r of w.removed) touched.add(r.personId);
  if (touched.size === 0) return;
  await tx.unsafe(
    `update mpi_person p set updated_at = now(),
       status = case when p.status = 'merged' then p.status
         when exists (select 1 from mpi_record r where r.person_id = p.id) then 'active' else 'empty' end
     where p.id = any($1::text[])`,
    [[...touched]],
  );
}
