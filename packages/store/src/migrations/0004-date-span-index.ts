/**
 * Date searches by span: a GiST index over each indexed date range answers "which values overlap
 * this window" without scanning every earlier (or later) date, as a B-tree on `low` must.
 * Replaces the (param, low, high) B-tree; `least/greatest` keep a malformed range from failing writes.
 */
export const name = 'date-span-index';

export const up = /* sql */ `
drop index if exists sp_date_range;
create index sp_date_span on sp_date using gist (tstzrange(least(low, high), greatest(low, high), '[]'));
`;
