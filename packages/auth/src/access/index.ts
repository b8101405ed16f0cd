export { type AccessPolicyConfig, type Authorization, authorize, DEFAULT_ACCESS_POLICY } from './policy.ts';
export {
  CONFORMANCE_TYPES,
  DIRECTORY_TYPES,
  IDENTIFYING_PARAMS,
  isClinicalType,
  NURSING_TYPES,
} from './resource-classes.ts';
