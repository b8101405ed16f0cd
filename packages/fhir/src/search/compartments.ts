import { COMPARTMENTS } from './compartment-data.ts';

/**
 * Compartment membership (http://hl7.org/fhir/R4/compartmentdefinition.html): which search parameters of
 * a resource type link it to the compartment's focal resource. `{def}` (the focal resource itself) is
 * not a search parameter and is left out: the store matches the compartment resource by id.
 */

const EMPTY: readonly string[] = Object.freeze([]);

/** Compartment types with definitions: Patient, Encounter, Practitioner, RelatedPerson, Device. */
export function compartmentTypes(): readonly string[] {
  return Object.keys(COMPARTMENTS);
}

/** The params of `resourceType` that put it in a `compartmentType` compartment ([] when none). */
export function compartmentParams(compartmentType: string, resourceType: string): readonly string[] {
  const params = COMPARTMENTS[compartmentType]?.[resourceType];
  return params ? params.filter((p) => p !== '{def}') : EMPTY;
}

/** The params that put a resource of `resourceType` in the Patient compartment. */
export function patientCompartmentParams(resourceType: string): readonly string[] {
  return compartmentParams('Patient', resourceType);
}
