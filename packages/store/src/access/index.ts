export { type BreakGlassGrant, BreakGlassStore } from './break-glass.ts';
export { accessPredicate, arrayParams } from './compile-access.ts';
export type { AccessScope, AddParam, RestrictedScope } from './scope.ts';
