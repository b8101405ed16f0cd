import type { AuditEvent } from '@medplum/fhirtypes';
import type { Database } from '@yiyun/store';

type Sql = Database['sql'];

/** Search over the audit log (the FHIR side maps `GET /AuditEvent?…` onto it); newest first. */
export interface AuditQuery {
  /** Events concerning any of these `Patient` ids. */
  readonly patient?: readonly string[];
  /** Events by this account. */
  readonly agent?: string;
  /** Events by someone acting for this institution (`Organization` id). */
  readonly organization?: string;
  readonly kind?: readonly string[];
  readonly outcome?: readonly string[];
  /** recorded ≥ since */
  readonly since?: Date;
  /** recorded < before */
  readonly before?: Date;
  readonly count: number;
  readonly offset: number;
}

export interface AuditPage {
  readonly events: AuditEvent[];
  readonly total: number;
}

interface Row {
  seq: string;
  recorded: Date;
  content: AuditEvent;
}

/** Stable FHIR id of the event with this seq. */
export function auditEventId(seq: number | string): string {
  return `a-${seq}`;
}

const ID = /^a-([1-9][0-9]{0,15})$/;

/** The seq named by an AuditEvent id, or undefined if it is not one of ours. */
export function seqOfAuditEventId(id: string): number | undefined {
  const match = ID.exec(id);
  return match ? Number(match[1]) : undefined;
}

function toResource(row: Row): AuditEvent {
  const { resourceType: _type, meta, ...rest } = row.content;
  return {
    resourceType: 'AuditEvent',
    id: auditEventId(row.seq),
    meta: { ...meta, lastUpdated: row.recorded.toISOString() },
    ...rest,
  };
}

function conditions(sql: Sql, q: AuditQuery) {
  const parts = [sql`true`];
  if (q.patient) parts.push(sql`patients && ${sql.array([...q.patient])}::text[]`);
  if (q.agent !== undefined) parts.push(sql`account = ${q.agent}`);
  if (q.organization !== undefined) parts.push(sql`organization = ${q.organization}`);
  if (q.kind) parts.push(sql`kind = any(${sql.array([...q.kind])}::text[])`);
  if (q.outcome) parts.push(sql`outcome = any(${sql.array([...q.outcome])}::text[])`);
  if (q.since) parts.push(sql`recorded >= ${q.since}`);
  if (q.before) parts.push(sql`recorded < ${q.before}`);
  return parts.reduce((acc, part) => sql`${acc} and ${part}`);
}

export async function searchEvents(sql: Sql, q: AuditQuery): Promise<AuditPage> {
  const count = Math.max(0, Math.floor(q.count));
  const offset = Math.max(0, Math.floor(q.offset));
  const where = conditions(sql, q);
  const [rows, totals] = await Promise.all([
    count === 0
      ? Promise.resolve([] as Row[])
      : sql<Row[]>`select seq, recorded, content from audit_event where ${where}
          order by recorded desc, seq desc limit ${count} offset ${offset}`,
    sql<{ total: string }[]>`select count(*) as total from audit_event where ${conditions(sql, q)}`,
  ]);
  return { events: rows.map(toResource), total: Number(totals[0]?.total ?? 0) };
}

export async function readEvent(sql: Sql, id: string): Promise<AuditEvent | undefined> {
  const seq = seqOfAuditEventId(id);
  if (seq === undefined) return undefined;
  const rows = await sql<Row[]>`select seq, recorded, content from audit_event where seq = ${seq}`;
  return rows[0] && toResource(rows[0]);
}
