import { AppError } from '@yiyun/fhir';
import type { StoredResource } from './port.ts';

/** A row of `resource` or `resource_history` as selected by the repository. */
export interface ResourceRow {
  readonly rid?: string;
  readonly type: string;
  readonly id: string;
  readonly version_id: number;
  readonly last_updated: Date;
  readonly deleted: boolean;
  readonly content: StoredResource | null;
}

export const ROW_COLUMNS = 'type, id, version_id, last_updated, deleted, content';

export function liveResource(row: ResourceRow | undefined, label: string): StoredResource {
  if (!row) throw new AppError('not-found', `${label} not found`);
  if (row.deleted || !row.content) throw new AppError('gone', `${label} has been deleted`);
  return row.content;
}

/** PostgreSQL error codes the repository turns into AppErrors. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

export function assertValidId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new AppError('invalid', 'Resource id must be 1-64 characters of A-Z, a-z, 0-9, "-" and "."');
  }
}

/**
 * Database errors caused by the data (SQLSTATE class 22: a NUL character, a number or date out of
 * range) are the caller's bad input: 400, never 500. Unique violations are conflicts; serialisation
 * failures and deadlocks are conflicts the client may retry.
 */
export function translateDatabaseError(err: unknown): unknown {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || err instanceof AppError) return err;
  if (code.startsWith('22'))
    return new AppError(
      'invalid',
      'The request contains a value that cannot be stored or searched (e.g. a NUL character or an out-of-range number or date)',
      { cause: err },
    );
  if (code === '23505')
    return new AppError('conflict', 'A resource with this id already exists', { cause: err });
  if (code === '40001' || code === '40P01')
    return new AppError('conflict', 'Concurrent update; retry the request', { cause: err });
  return err;
}

/** Runs `fn`, translating database errors (see translateDatabaseError). */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translateDatabaseError(err);
  }
}
