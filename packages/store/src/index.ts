export type * from './repository/port.ts';
export { openStore, type Store, type StoreOptions } from './store.ts';
export { paramKey } from './indexing/param-key.ts';
