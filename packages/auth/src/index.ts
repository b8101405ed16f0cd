export type * from './accounts/port.ts';
export { isRole, type Principal, ROLES, type Role } from './principal.ts';
