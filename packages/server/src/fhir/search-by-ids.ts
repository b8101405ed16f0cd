import type { SearchRequest } from '@yiyun/fhir';

/** `<type>?_id=a,b,…` as a parsed request: one page holding every one of `ids` the caller may see. */
export function searchByIds(resourceType: string, ids: readonly string[]): SearchRequest {
  return {
    resourceType,
    filters: [{ kind: 'id', ids: [...ids] }],
    sort: [],
    count: ids.length,
    offset: 0,
    total: 'none',
    include: [],
    revinclude: [],
    unknown: [],
  };
}
