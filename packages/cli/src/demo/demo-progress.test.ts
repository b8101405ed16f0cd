import { describe, expect, it } from 'vitest';
import { estimateTotalResources } from './demo-progress.ts';

const base = { residents: 1_000, residentsGenerated: 0, resourcesGenerated: 0, resourcesLoaded: 0 };

describe('estimateTotalResources', () => {
  it('uses a typical ratio before anything is generated', () => {
    expect(estimateTotalResources({ ...base, generationDone: false })).toBe(42_000);
  });

  it('extrapolates from what was generated so far', () => {
    const p = { ...base, residentsGenerated: 100, resourcesGenerated: 5_000, generationDone: false };
    expect(estimateTotalResources(p)).toBe(50_000);
  });

  it('is exact once generation is done', () => {
    const p = { ...base, residentsGenerated: 1_000, resourcesGenerated: 43_210, generationDone: true };
    expect(estimateTotalResources(p)).toBe(43_210);
  });

  it('never falls below what is already generated or loaded', () => {
    const p = { ...base, residentsGenerated: 10, resourcesGenerated: 9_000, resourcesLoaded: 8_000 };
    expect(estimateTotalResources({ ...p, residents: 10, generationDone: false })).toBe(9_000);
  });
});
