/**
 * Resource types by what they hold, for role permissions. Directory data names institutions and
 * staff; conformance data configures the platform; everything else is a resident's clinical or
 * administrative record (the Patient compartment and its neighbours).
 */
export const DIRECTORY_TYPES: ReadonlySet<string> = new Set([
  'Organization',
  'OrganizationAffiliation',
  'Location',
  'Practitioner',
  'PractitionerRole',
  'HealthcareService',
  'Endpoint',
  'CareTeam',
]);

export const CONFORMANCE_TYPES: ReadonlySet<string> = new Set([
  'CapabilityStatement',
  'CodeSystem',
  'ValueSet',
  'ConceptMap',
  'NamingSystem',
  'StructureDefinition',
  'StructureMap',
  'SearchParameter',
  'OperationDefinition',
  'CompartmentDefinition',
  'ImplementationGuide',
  'Questionnaire',
  'PlanDefinition',
  'ActivityDefinition',
  'Library',
  'Measure',
]);

/** What a nurse records (护理): vitals, encounters, immunisations, procedures, administrations, tasks. */
export const NURSING_TYPES: ReadonlySet<string> = new Set([
  'Patient',
  'Observation',
  'Encounter',
  'Immunization',
  'Procedure',
  'MedicationAdministration',
  'Task',
  'Communication',
  'Flag',
]);

/** Search parameters that single out a person: never allowed in an analyst's aggregate queries. */
export const IDENTIFYING_PARAMS: ReadonlySet<string> = new Set([
  '_id',
  'identifier',
  'name',
  'family',
  'given',
  'phonetic',
  'phone',
  'email',
  'telecom',
  'address',
  'address-city',
  'address-district',
  'address-postalcode',
  'address-state',
  'birthdate',
  'patient',
  'subject',
  'link',
]);

export function isClinicalType(type: string): boolean {
  return !DIRECTORY_TYPES.has(type) && !CONFORMANCE_TYPES.has(type);
}
