import type { Queryable } from '@yiyun/store';
import { type StudyRow, type StudyState, toState } from './upsert.ts';

/** An instance the index already holds under a SOP Instance UID. */
export interface KnownInstance {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly digest: Uint8Array;
}

export interface StoreStateQuery {
  readonly studyUid: string;
  readonly sopUid: string;
}

/** What the service checks before writing any byte: the study's state, the instance already stored. */
export interface StoreState {
  readonly study?: StudyState;
  readonly known?: KnownInstance;
}

type StateRow = Partial<StudyRow> & {
  q_sop: string;
  i_study: string | null;
  i_series: string | null;
  i_digest: Uint8Array | null;
};

/**
 * The store state of several instances in one round trip (concurrent stores share it). SOP
 * Instance UIDs must be distinct; the answers come in the order asked.
 */
export async function readStoreStates(
  q: Queryable,
  queries: readonly StoreStateQuery[],
): Promise<StoreState[]> {
  const rows = await q.unsafe<StateRow[]>(
    `select ids.sop_uid as q_sop,
       s.study_uid, s.patient_id, s.custodian, s.version, s.fhir_version, s.imaging_study_id, s.fhir_synced_at,
       i.study_uid as i_study, i.series_uid as i_series, i.digest as i_digest
     from unnest($1::text[], $2::text[]) as ids (study_uid, sop_uid)
     left join imaging_study s on s.study_uid = ids.study_uid
     left join imaging_instance i on i.sop_uid = ids.sop_uid`,
    [queries.map((x) => x.studyUid), queries.map((x) => x.sopUid)],
  );
  const bySop = new Map(rows.map((r) => [r.q_sop, r]));
  return queries.map((x) => stateOf(bySop.get(x.sopUid)));
}

function stateOf(row: StateRow | undefined): StoreState {
  if (!row) return {};
  return {
    ...(row.study_uid ? { study: toState(row as StudyRow) } : {}),
    ...(row.i_study && row.i_series && row.i_digest
      ? { known: { studyUid: row.i_study, seriesUid: row.i_series, digest: row.i_digest } }
      : {}),
  };
}
