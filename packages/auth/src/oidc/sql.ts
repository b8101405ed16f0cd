import type { Database } from '@yiyun/store';

/** The postgres.js connection (works on PostgreSQL and, through the socket bridge, on PGlite). */
export type Sql = Database['sql'];
