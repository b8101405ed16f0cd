import { describe, expect, it } from 'vitest';
import { compartmentParams, compartmentTypes, patientCompartmentParams } from './compartments.ts';

describe('compartments', () => {
  it('lists the Patient compartment parameters from the R4 CompartmentDefinition', () => {
    expect(patientCompartmentParams('Observation')).toEqual(['subject', 'performer']);
    expect(patientCompartmentParams('Encounter')).toEqual(['patient']);
    expect(patientCompartmentParams('Patient')).toEqual(['link']);
    expect(patientCompartmentParams('Organization')).toEqual([]);
  });
  it('supports the other R4 compartments and leaves out {def}', () => {
    expect(compartmentTypes()).toEqual(['Patient', 'Encounter', 'Practitioner', 'RelatedPerson', 'Device']);
    expect(compartmentParams('Encounter', 'Observation')).toEqual(['encounter']);
    expect(compartmentParams('Encounter', 'Encounter')).toEqual([]);
    expect(compartmentParams('Practitioner', 'Patient')).toEqual(['general-practitioner']);
    expect(compartmentParams('Nope', 'Observation')).toEqual([]);
  });
});
