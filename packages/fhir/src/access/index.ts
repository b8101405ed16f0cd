export { CUSTODIAN_SYSTEM, custodianOf, withCustodian } from './custodian.ts';
export { type AccessFacts, accessFacts, type CareRelationFact, type ConsentFact } from './facts.ts';
export {
  DEFAULT_SENSITIVITY_RULES,
  isSensitiveLabel,
  labelSensitivity,
  ruleLabels,
  SENSITIVE_LABELS,
  SENSITIVITY_SYSTEM,
  type SensitiveLabel,
  type SensitivityRule,
  sensitivityLabels,
} from './sensitivity.ts';
