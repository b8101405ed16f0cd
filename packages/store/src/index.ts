export type * from './repository/port.ts';
