import { randomUUID } from 'node:crypto';
import { AppError } from '@yiyun/fhir';
import type { Queryable } from '../sql/connect.ts';

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface Job {
  readonly id: string;
  readonly kind: string;
  readonly status: JobStatus;
  readonly request: Record<string, unknown>;
  readonly progress: Record<string, unknown> | null;
  readonly result: Record<string, unknown> | null;
  readonly error: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface JobRow {
  id: string;
  kind: string;
  status: JobStatus;
  request: Record<string, unknown>;
  progress: Record<string, unknown> | null;
  result: Record<string, unknown> | null;
  error: string | null;
  created_at: Date;
  updated_at: Date;
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    request: row.request,
    progress: row.progress,
    result: row.result,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const COLUMNS = 'id, kind, status, request, progress, result, error, created_at, updated_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A job not heard from for this long is taken over by another runner (its process died). */
export const STALE_AFTER_SECONDS = 120;

/** The `job` table: submit, claim (SKIP LOCKED, so replicas share work), heartbeat, finish. */
export class JobStore {
  readonly #q: Queryable;

  constructor(q: Queryable) {
    this.#q = q;
  }

  async submit(kind: string, request: Record<string, unknown>): Promise<Job> {
    const rows = await this.#q.unsafe<JobRow[]>(
      `insert into job (id, kind, status, request) values ($1::uuid, $2::text, 'queued', $3::text::jsonb)
       returning ${COLUMNS}`,
      [randomUUID(), kind, JSON.stringify(request)],
    );
    return toJob(rows[0]!);
  }

  async get(id: string): Promise<Job> {
    if (!UUID.test(id)) throw new AppError('not-found', 'No such job');
    const rows = await this.#q.unsafe<JobRow[]>(`select ${COLUMNS} from job where id = $1::uuid`, [id]);
    if (!rows[0]) throw new AppError('not-found', 'No such job');
    return toJob(rows[0]);
  }

  /** Claims the oldest queued (or abandoned running) job of the given kinds. */
  async claim(kinds: readonly string[]): Promise<Job | undefined> {
    const rows = await this.#q.unsafe<JobRow[]>(
      `update job set status = 'running', heartbeat_at = now(), updated_at = now()
       where id = (
         select id from job
         where kind = any($1::text[]) and (status = 'queued'
           or (status = 'running' and heartbeat_at < now() - make_interval(secs => $2::int4)))
         order by created_at for update skip locked limit 1)
       returning ${COLUMNS}`,
      [kinds, STALE_AFTER_SECONDS],
    );
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  /** Records progress and proves the runner is alive; false when the job was cancelled meanwhile. */
  async heartbeat(id: string, progress: Record<string, unknown>): Promise<boolean> {
    const rows = await this.#q.unsafe<{ status: JobStatus }[]>(
      `update job set progress = $2::text::jsonb, heartbeat_at = now(), updated_at = now()
       where id = $1::uuid returning status`,
      [id, JSON.stringify(progress)],
    );
    return rows[0]?.status === 'running';
  }

  async finish(id: string, outcome: { result: Record<string, unknown> } | { error: string }): Promise<void> {
    const isError = 'error' in outcome;
    await this.#q.unsafe(
      `update job set status = $2::text, result = $3::text::jsonb, error = $4::text, updated_at = now()
       where id = $1::uuid and status = 'running'`,
      [
        id,
        isError ? 'failed' : 'completed',
        isError ? null : JSON.stringify(outcome.result),
        isError ? outcome.error : null,
      ],
    );
  }

  /**
   * Puts a running job back in the queue (its runner is shutting down): the next runner on any
   * replica starts it again. Import and export jobs are safe to run again from the start.
   */
  async release(id: string): Promise<void> {
    await this.#q.unsafe(
      `update job set status = 'queued', updated_at = now() where id = $1::uuid and status = 'running'`,
      [id],
    );
  }

  /** Cancels a queued or running job (the runner stops at its next heartbeat). */
  async cancel(id: string): Promise<void> {
    const job = await this.get(id);
    if (job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled') return;
    await this.#q.unsafe(`update job set status = 'cancelled', updated_at = now() where id = $1::uuid`, [id]);
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    await this.#q.unsafe('delete from job where id = $1::uuid', [id]);
  }
}
