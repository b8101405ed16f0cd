export { SMART_CAPABILITIES, type SmartConfiguration, smartConfiguration } from './configuration.ts';
export { describeScope, type Locale } from './describe.ts';
export type { LaunchContext } from './launch.ts';
export {
  INTERACTIONS,
  type Interaction,
  LAUNCH_SCOPES,
  type LaunchScope,
  type ParsedScope,
  parseScope,
  parseScopes,
  permittedTypes,
  type ResourceScope,
  readableTypes,
  SCOPE_CONTEXTS,
  type ScopeContext,
  type ScopeRequest,
  type ScopeSet,
  scopeAllows,
  scopeWithin,
} from './scopes.ts';
