import type { AccessFacts, IndexEntry, IndexValue } from '@yiyun/fhir';
import type { Queryable } from '../sql/connect.ts';
import { paramKey } from './param-key.ts';

/** A resource's index entries, keyed by its row id. */
export interface IndexedResource {
  readonly rid: string;
  readonly resourceType: string;
  readonly entries: readonly IndexEntry[];
  /** Access facts: written to the derived access tables beside the index rows. */
  readonly access?: AccessFacts;
}

type Column = (string | number | null)[];

export const INDEX_TABLES = {
  token: ['system', 'code', 'text', 'type_system', 'type_code'],
  string: ['normalized', 'exact'],
  date: ['low', 'high'],
  number: ['value', 'low', 'high'],
  quantity: ['value', 'low', 'high', 'system', 'code', 'unit'],
  reference: ['target_type', 'target_id', 'url', 'identifier_system', 'identifier_value'],
  uri: ['value'],
  composite: ['components'],
} as const;

export type IndexKind = keyof typeof INDEX_TABLES;

const SQL_TYPES: Record<IndexKind, readonly string[]> = {
  token: ['text', 'text', 'text', 'text', 'text'],
  string: ['text', 'text'],
  date: ['timestamptz', 'timestamptz'],
  number: ['numeric', 'numeric', 'numeric'],
  quantity: ['numeric', 'numeric', 'numeric', 'text', 'text', 'text'],
  reference: ['text', 'text', 'text', 'text', 'text'],
  uri: ['text'],
  composite: ['jsonb'],
};

export function valueColumns(value: IndexValue): (string | null)[] {
  switch (value.kind) {
    case 'token':
      return [value.system, value.code, value.text ?? null, value.typeSystem ?? null, value.typeCode ?? null];
    case 'string':
      return [value.normalized, value.exact];
    case 'date':
      return [value.low ?? '-infinity', value.high ?? 'infinity'];
    case 'number':
      return [value.value, value.low, value.high];
    case 'quantity':
      return [value.value, value.low, value.high, value.system, value.code, value.unit];
    case 'reference':
      return [
        value.targetType,
        value.targetId,
        value.url,
        value.identifierSystem ?? null,
        value.identifierValue ?? null,
      ];
    case 'uri':
      return [value.value];
    case 'composite':
      return [JSON.stringify(value.components)];
  }
}

/** Writes all index rows of a batch of resources: one INSERT … SELECT unnest(…) per table. */
export async function writeIndexRows(tx: Queryable, batch: readonly IndexedResource[]): Promise<void> {
  const columns = new Map<IndexKind, Column[]>();
  for (const item of batch) {
    for (const entry of item.entries) {
      const kind = entry.value.kind;
      let cols = columns.get(kind);
      if (!cols) {
        cols = Array.from({ length: INDEX_TABLES[kind].length + 2 }, () => []);
        columns.set(kind, cols);
      }
      cols[0]!.push(item.rid);
      cols[1]!.push(paramKey(item.resourceType, entry.param));
      const values = valueColumns(entry.value);
      for (let i = 0; i < values.length; i++) cols[i + 2]!.push(values[i] ?? null);
    }
  }
  // One statement for all tables (data-modifying CTEs): one round trip per batch.
  const params: Column[] = [];
  const inserts: string[] = [];
  for (const [kind, cols] of columns) {
    const names = ['rid', 'param', ...INDEX_TABLES[kind]];
    const types = ['int8', 'int4', ...SQL_TYPES[kind]];
    // Timestamps and jsonb travel as text and are cast in SQL: the driver would turn '-infinity'
    // into an invalid Date.
    const wire = (t: string) => (t === 'timestamptz' || t === 'jsonb' ? 'text' : t);
    const arrays = types.map((t, i) => `$${params.length + i + 1}::${wire(t)}[]`);
    const aliases = names.map((_, i) => `c${i}`);
    const projection = aliases
      .map((a, i) => (wire(types[i]!) === types[i] ? `u.${a}` : `u.${a}::${types[i]}`))
      .join(', ');
    inserts.push(
      `i_${kind} as (insert into sp_${kind} (${names.join(', ')}) select ${projection} from unnest(${arrays.join(', ')}) as u(${aliases.join(', ')}))`,
    );
    params.push(...cols);
  }
  accessInserts(batch, params, inserts);
  if (inserts.length === 0) return;
  await tx.unsafe(`with ${inserts.join(', ')} select 1`, params);
}

/** The derived access rows (docs/decisions/0004-access-control.md) as more CTEs of the same statement. */
function accessInserts(batch: readonly IndexedResource[], params: Column[], inserts: string[]): void {
  const changes: Column[] = [[], []];
  const care: Column[] = [[], [], [], []];
  const consents: Column[] = [[], [], [], [], []];
  for (const { rid, resourceType, access } of batch) {
    if (CHANGE_FEED_TYPES.has(resourceType)) {
      changes[0]!.push(rid);
      changes[1]!.push(resourceType);
    }
    if (!access?.patientId) continue;
    for (const relation of access.careRelations) {
      care[0]!.push(rid);
      care[1]!.push(access.patientId);
      care[2]!.push(relation.organization);
      care[3]!.push(relation.endsAt ?? 'infinity');
    }
    if (access.consent) {
      consents[0]!.push(rid);
      consents[1]!.push(access.patientId);
      consents[2]!.push(access.consent.date);
      consents[3]!.push(String(access.consent.share));
      consents[4]!.push(`{${access.consent.permitLabels.join(',')}}`);
    }
  }
  const add = (cols: Column[], sql: (p: string[]) => string) => {
    if (cols[0]!.length === 0) return;
    const p = cols.map((_, i) => `$${params.length + i + 1}`);
    params.push(...cols);
    inserts.push(sql(p));
  };
  add(
    changes,
    (p) => `a_change as (insert into resource_change (rid, type)
      select * from unnest(${p[0]}::int8[], ${p[1]}::text[]))`,
  );
  add(
    care,
    (p) => `a_care as (insert into care_relation (rid, patient_id, organization, ends_at)
      select u.a, u.b, u.c, u.d::timestamptz from unnest(${p[0]}::int8[], ${p[1]}::text[], ${p[2]}::text[], ${p[3]}::text[]) as u(a, b, c, d))`,
  );
  add(
    consents,
    (p) => `a_consent as (insert into consent_directive (rid, patient_id, date, share, permit_labels)
      select u.a, u.b, u.c::timestamptz, u.d::bool, u.e::text[]
      from unnest(${p[0]}::int8[], ${p[1]}::text[], ${p[2]}::text[], ${p[3]}::text[], ${p[4]}::text[]) as u(a, b, c, d, e))`,
  );
}

/**
 * Types whose every write (create, update, delete) is queued in `resource_change`, in the same
 * transaction, for a capability that must see each change (the resident registry links Patients).
 */
export const CHANGE_FEED_TYPES: ReadonlySet<string> = new Set(['Patient']);

/** Queues a delete of a change-feed type (creates and updates are queued with their index rows). */
export async function recordDelete(tx: Queryable, rid: string, resourceType: string): Promise<void> {
  if (!CHANGE_FEED_TYPES.has(resourceType)) return;
  await tx.unsafe('insert into resource_change (rid, type) values ($1::int8, $2::text)', [rid, resourceType]);
}

/** Every table keyed by a resource's rid that is rebuilt when the resource changes. */
const DERIVED_TABLES = [
  ...Object.keys(INDEX_TABLES).map((k) => `sp_${k}`),
  'care_relation',
  'consent_directive',
];

const DELETE_ALL = `with ${DERIVED_TABLES.map((t) => `d_${t} as (delete from ${t} where rid = any($1::int8[]))`).join(', ')} select 1`;

/** Removes every index row of the given resources (before re-indexing or on delete). */
export async function deleteIndexRows(tx: Queryable, rids: readonly string[]): Promise<void> {
  if (rids.length === 0) return;
  await tx.unsafe(DELETE_ALL, [rids]);
}
