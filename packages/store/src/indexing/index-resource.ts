import type { Resource } from '@medplum/fhirtypes';
import {
  type AccessFacts,
  accessFacts,
  DEFAULT_SENSITIVITY_RULES,
  extractIndexEntries,
  type IndexEntry,
  labelSensitivity,
  type SearchParamRegistry,
  type SensitivityRule,
} from '@yiyun/fhir';
import type { StoredResource } from '../repository/port.ts';

/** What indexing a resource needs: the search parameters and the sensitivity-labelling rules. */
export interface IndexingRules {
  readonly registry: SearchParamRegistry;
  /** Default: `DEFAULT_SENSITIVITY_RULES` (ICD-10 chapters → PSY, HIV …). */
  readonly sensitivityRules?: readonly SensitivityRule[];
}

export interface IndexedContent {
  readonly entries: readonly IndexEntry[];
  readonly access: AccessFacts;
}

/** Labels sensitive content in `meta.security` (on every write, before the resource is stamped). */
export function labelForStorage<T extends Resource>(resource: T, rules: IndexingRules): T {
  return labelSensitivity(resource, rules.sensitivityRules ?? DEFAULT_SENSITIVITY_RULES);
}

/** Search-index entries and access facts of a stored resource. */
export function indexResource(resource: StoredResource, rules: IndexingRules): IndexedContent {
  const entries = extractIndexEntries(resource, rules.registry);
  return { entries, access: accessFacts(resource, entries) };
}

/** The resource table's access columns, in the order custodian, patient_id, labels (COPY text form). */
export function accessColumns(access: AccessFacts): [string | null, string | null, string | null] {
  return [access.custodian, access.patientId, access.labels.length ? `{${access.labels.join(',')}}` : null];
}
