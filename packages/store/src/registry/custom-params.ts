import type { SearchParameter } from '@medplum/fhirtypes';
import {
  type CompiledSearchParamRegistry,
  createSearchParamRegistry,
  validateCustomSearchParameter,
} from '@yiyun/fhir';
import type { Queryable } from '../sql/connect.ts';

const SETTING_KEY = 'active-search-parameters';

export interface ActiveSearchParameters {
  readonly params: readonly SearchParameter[];
  /** When they were activated (by `$reindex`); replicas compare it to know when to reload. */
  readonly activatedAt: string | null;
}

/** The custom SearchParameters activated by the last `$reindex` (a snapshot, not the live resources). */
export async function loadActiveSearchParameters(q: Queryable): Promise<ActiveSearchParameters> {
  const rows = await q.unsafe<{ value: { params: SearchParameter[] }; updated_at: Date }[]>(
    'select value, updated_at from platform_setting where key = $1::text',
    [SETTING_KEY],
  );
  const row = rows[0];
  return row
    ? { params: row.value.params, activatedAt: row.updated_at.toISOString() }
    : { params: [], activatedAt: null };
}

export async function activatedAt(q: Queryable): Promise<string | null> {
  const rows = await q.unsafe<{ updated_at: Date }[]>(
    'select updated_at from platform_setting where key = $1::text',
    [SETTING_KEY],
  );
  return rows[0]?.updated_at.toISOString() ?? null;
}

/**
 * Reads every active, valid SearchParameter resource in the store. Invalid ones are returned
 * separately so that `$reindex` can report them instead of failing.
 */
export async function readStoredSearchParameters(
  q: Queryable,
): Promise<{ valid: SearchParameter[]; invalid: { id: string; message: string }[] }> {
  const rows = await q.unsafe<{ content: SearchParameter }[]>(
    `select content from resource where type = 'SearchParameter' and not deleted order by rid`,
  );
  const valid: SearchParameter[] = [];
  const invalid: { id: string; message: string }[] = [];
  for (const { content } of rows) {
    if (content.status !== 'active') continue;
    try {
      validateCustomSearchParameter(content);
      valid.push(content);
    } catch (err) {
      invalid.push({ id: content.id ?? '', message: err instanceof Error ? err.message : String(err) });
    }
  }
  return { valid, invalid };
}

export async function saveActiveSearchParameters(
  q: Queryable,
  params: readonly SearchParameter[],
): Promise<void> {
  await q.unsafe(
    `insert into platform_setting (key, value, updated_at) values ($1::text, $2::text::jsonb, now())
     on conflict (key) do update set value = excluded.value, updated_at = now()`,
    [SETTING_KEY, JSON.stringify({ params })],
  );
}

export function registryWith(params: readonly SearchParameter[]): CompiledSearchParamRegistry {
  return createSearchParamRegistry(params);
}
