export * from './access/index.ts';
export * from './accounts/index.ts';
export * from './audit/index.ts';
export * from './oidc/index.ts';
export { isRole, type Principal, ROLES, type Role } from './principal.ts';
export * from './smart/index.ts';
