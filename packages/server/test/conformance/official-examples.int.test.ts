import { describe, expect, it } from 'vitest';
import { loadOfficialExamples, runExamples } from './examples.ts';
import { KNOWN_INVALID } from './known-invalid.ts';
import { examplesCall } from './report.ts';

describe('official R4 examples (hl7.fhir.r4.examples)', () => {
  it('accepts ≥ 99.5 %, rejects only the known-invalid ones, reads back equal, and finds them by search', async () => {
    const { call, store } = await examplesCall();
    await using _disposeStore = store;
    const files = loadOfficialExamples();
    expect(files.length).toBe(5306);
    const report = await runExamples(files, store.registry, call);
    expect(report.rejected.every((r) => r.status >= 400 && r.status < 500)).toBe(true);
    expect(report.rejected.map((r) => r.name).sort()).toEqual([...KNOWN_INVALID].sort());
    expect(report.accepted / report.total).toBeGreaterThanOrEqual(0.995);
    expect(report.mismatched).toEqual([]);
    expect(report.searches.attempted).toBeGreaterThan(1000);
    // One known miss: Library-example's `predecessor` is the bare string "library-fhir-helpers-predecessor",
    // neither an absolute URL nor Type/id (docs/conformance.md).
    expect(report.searches.found / report.searches.attempted).toBeGreaterThanOrEqual(0.999);
  }, 900_000);
});
