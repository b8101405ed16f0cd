import type { Patient } from '@medplum/fhirtypes';
import { RESIDENT_ID_SYSTEM } from '@yiyun/fhir';
import type { Queryable } from '@yiyun/store';
import { blockHash, blockingKeys } from '../match/blocking.ts';
import { HEALTH_CARD_SYSTEM, type MatchRecord } from '../normalize/record.ts';

/** What a search box held, as the registry read it. */
export type FindKind = 'number' | 'phone' | 'name';

export interface FoundRecord {
  readonly patientId: string;
  readonly personId: string;
}

/** Fewer characters than this (after normalising) find nothing: one letter or digit names no one. */
const MIN_NAME = 2;

/**
 * A free-text query as a Patient the normaliser reads like any other: 18 (or 15) digits are a
 * resident ID number or a health card number (both are tried: each has its own check digit), 11
 * digits starting with 1 (optionally +86) a mobile number, anything else a name in characters,
 * pinyin or Latin letters, in either order.
 */
export function queryAsPatient(text: string): { kind: FindKind; patient: Patient } | undefined {
  const compact = text.replace(/[\s\-\u3000]/g, '');
  if (/^(\d{17}[\dXx]|\d{15})$/.test(compact)) {
    return {
      kind: 'number',
      patient: {
        resourceType: 'Patient',
        identifier: [
          { system: RESIDENT_ID_SYSTEM, value: compact.toUpperCase() },
          { system: HEALTH_CARD_SYSTEM, value: compact },
        ],
      },
    };
  }
  if (/^(\+?86)?1\d{10}$/.test(compact))
    return {
      kind: 'phone',
      patient: { resourceType: 'Patient', telecom: [{ system: 'phone', value: compact }] },
    };
  const name = text.trim().replace(/\s+/g, ' ');
  if (name.replace(/[\s·.]/g, '').length < MIN_NAME) return undefined;
  return { kind: 'name', patient: { resourceType: 'Patient', name: [{ text: name }] } };
}

// Both served by the GIN indexes of migration 2.
const BY_HAN = `select patient_id as "patientId", person_id as "personId" from mpi_record
  where features->'name'->'han' ?| $1::text[] order by person_id, patient_id limit $2::int4`;
const BY_FORMS = `select patient_id as "patientId", person_id as "personId" from mpi_record
  where features->'name'->'forms' ?| $1::text[] order by person_id, patient_id limit $2::int4`;

/**
 * Records whose identity fields equal the query's: identifiers and phones through the blocking
 * index (exact, hashed keys), names through the normalised name forms (characters in simplified
 * form, pinyin of every surname reading, both orders). At most `limit` records; access rules are
 * the caller's to apply.
 */
export async function findRecords(
  q: Queryable,
  kind: FindKind,
  record: MatchRecord,
  limit: number,
): Promise<FoundRecord[]> {
  if (kind !== 'name') {
    const keys = blockingKeys(record)
      .filter((k) => k.startsWith('i:') || k.startsWith('c:') || k.startsWith('p:'))
      .map(blockHash);
    if (keys.length === 0) return [];
    return q.unsafe<FoundRecord[]>(
      `select r.patient_id as "patientId", r.person_id as "personId"
         from mpi_block b join mpi_record r on r.patient_id = b.patient_id
        where b.key = any($1::int8[]) order by r.person_id, r.patient_id limit $2::int4`,
      [keys, limit],
    );
  }
  const han = record.name?.han ?? [];
  const forms = record.name?.forms ?? [];
  if (han.length === 0 && forms.length === 0) return [];
  // Characters, when the query has them, are the stricter match (张伟 ≠ 章薇, both zhangwei).
  return han.length > 0
    ? q.unsafe<FoundRecord[]>(BY_HAN, [han, limit])
    : q.unsafe<FoundRecord[]>(BY_FORMS, [forms, limit]);
}
