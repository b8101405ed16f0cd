import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AccessFacts } from '@yiyun/fhir';
import type { TransactionSql } from 'postgres';
import { accessColumns } from '../indexing/index-resource.ts';
import { paramKey } from '../indexing/param-key.ts';
import { CHANGE_FEED_TYPES, INDEX_TABLES, type IndexKind, valueColumns } from '../indexing/write-index.ts';
import type { PendingCreate } from '../repository/writes.ts';

/** A field in PostgreSQL's COPY text format (https://www.postgresql.org/docs/15/sql-copy.html). */
function field(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

function line(values: readonly (string | number | boolean | null)[]): string {
  return `${values.map(field).join('\t')}\n`;
}

/** COPY text for new resources and their index rows, built before the transaction opens. */
export interface CopyPayload {
  readonly resource: string;
  readonly index: ReadonlyMap<IndexKind, string>;
  /** Derived access rows (care_relation, consent_directive) and the change queue (resource_change). */
  readonly access: ReadonlyMap<AccessTable, string>;
}

const ACCESS_TABLES = {
  resource_change: ['rid', 'type'],
  care_relation: ['rid', 'patient_id', 'organization', 'ends_at'],
  consent_directive: ['rid', 'patient_id', 'date', 'share', 'permit_labels'],
} as const;

export type AccessTable = keyof typeof ACCESS_TABLES;

const RESOURCE_COLUMNS = [
  'rid',
  'type',
  'id',
  'version_id',
  'last_updated',
  'deleted',
  'content',
  'custodian',
  'patient_id',
  'labels',
];

function accessLines(
  rid: string,
  resourceType: string,
  access: AccessFacts,
  out: Record<AccessTable, string[]>,
): void {
  if (CHANGE_FEED_TYPES.has(resourceType)) out.resource_change.push(line([rid, resourceType]));
  const patient = access.patientId;
  if (!patient) return;
  for (const c of access.careRelations)
    out.care_relation.push(line([rid, patient, c.organization, c.endsAt ?? 'infinity']));
  if (access.consent) {
    const { date, share, permitLabels } = access.consent;
    out.consent_directive.push(line([rid, patient, date, share, `{${permitLabels.join(',')}}`]));
  }
}

/** Serialises a batch of new resources (with pre-allocated rids) into COPY text, table by table. */
export function buildCopyPayload(batch: readonly PendingCreate[], rids: readonly string[]): CopyPayload {
  const resourceLines: string[] = [];
  const indexLines = new Map<IndexKind, string[]>();
  const access: Record<AccessTable, string[]> = {
    resource_change: [],
    care_relation: [],
    consent_directive: [],
  };
  batch.forEach(({ resource, entries, access: facts }, i) => {
    const rid = rids[i]!;
    resourceLines.push(
      line([
        rid,
        resource.resourceType,
        resource.id,
        1,
        resource.meta.lastUpdated,
        false,
        JSON.stringify(resource),
        ...accessColumns(facts),
      ]),
    );
    accessLines(rid, resource.resourceType, facts, access);
    for (const entry of entries) {
      const kind = entry.value.kind;
      let lines = indexLines.get(kind);
      if (!lines) {
        lines = [];
        indexLines.set(kind, lines);
      }
      lines.push(line([rid, paramKey(resource.resourceType, entry.param), ...valueColumns(entry.value)]));
    }
  });
  return {
    resource: resourceLines.join(''),
    index: new Map([...indexLines].map(([kind, lines]) => [kind, lines.join('')])),
    access: new Map(
      (Object.keys(access) as AccessTable[]).map((table) => [table, access[table].join('')] as const),
    ),
  };
}

/** Text in ~256 KB pieces: one CopyData message per piece. */
function* pieces(text: string): Generator<string> {
  for (let i = 0; i < text.length; i += 262_144) yield text.slice(i, i + 262_144);
}

async function copyText(tx: TransactionSql, table: string, columns: readonly string[], text: string) {
  if (text.length === 0) return;
  const writable = await tx.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`).writable();
  await pipeline(Readable.from(pieces(text)), writable);
}

/** The bulk fast path on a PostgreSQL server: COPY of new resources and their index rows. */
export async function copyPayload(tx: TransactionSql, payload: CopyPayload): Promise<void> {
  await copyText(tx, 'resource', RESOURCE_COLUMNS, payload.resource);
  for (const [kind, text] of payload.index) {
    await copyText(tx, `sp_${kind}`, ['rid', 'param', ...INDEX_TABLES[kind]], text);
  }
  for (const [table, text] of payload.access) await copyText(tx, table, ACCESS_TABLES[table], text);
}
