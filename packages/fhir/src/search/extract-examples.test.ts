import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { extractIndexEntries } from './extract.ts';
import { createSearchParamRegistry } from './registry.ts';

// Reads fixtures from the official R4 examples package (a test-only input, not I/O of the code under test).
const dir = dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));

describe('extractIndexEntries over all official R4 examples', () => {
  it('never throws and indexes almost every example', () => {
    const registry = createSearchParamRegistry();
    let total = 0;
    let withEntries = 0;
    const failures: string[] = [];
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.json') || file === 'package.json') continue;
      const resource = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Resource;
      if (typeof resource.resourceType !== 'string') continue;
      total++;
      try {
        if (extractIndexEntries(resource, registry).length > 0) withEntries++;
      } catch (err) {
        failures.push(`${file}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(total).toBeGreaterThan(5000);
    expect(withEntries / total).toBeGreaterThan(0.99);
  }, 60_000);
});
