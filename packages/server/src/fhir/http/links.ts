import type { BundleLink } from '@medplum/fhirtypes';

export interface PagingInput {
  /** Absolute URL of the search or history endpoint, without query. */
  readonly url: string;
  /** The request's parameters; `_offset`/`_count` are replaced, everything else kept in order. */
  readonly params: URLSearchParams;
  readonly offset: number;
  readonly count: number;
  readonly hasMore: boolean;
}

/** `self`, `first`, `previous`, `next` links (http://hl7.org/fhir/R4/http.html#paging), offset-based. */
export function buildPagingLinks(input: PagingInput): BundleLink[] {
  const { url, params, offset, count, hasMore } = input;
  const at = (o: number): string => {
    const p = new URLSearchParams();
    for (const [k, v] of params) if (k !== '_offset' && k !== '_count') p.append(k, v);
    p.set('_count', String(count));
    if (o > 0) p.set('_offset', String(o));
    return `${url}?${p.toString()}`;
  };
  const links: BundleLink[] = [
    { relation: 'self', url: at(offset) },
    { relation: 'first', url: at(0) },
  ];
  if (offset > 0) links.push({ relation: 'previous', url: at(Math.max(0, offset - count)) });
  if (hasMore && count > 0) links.push({ relation: 'next', url: at(offset + count) });
  return links;
}
