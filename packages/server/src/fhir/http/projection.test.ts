import type { Resource } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import type { ResourceProjector } from '../types.ts';
import { applyProjection, parseProjection } from './projection.ts';

const projector: ResourceProjector = {
  summarize: (r, mode) => ({ ...r, id: `summary-${mode}` }),
  selectElements: (r, els) => ({ ...r, id: `elements-${els.join('+')}` }),
};

describe('projection', () => {
  it('reads _summary and comma-separated _elements', () => {
    expect(parseProjection(new URLSearchParams('_summary=text'))).toEqual({ summary: 'text' });
    expect(parseProjection(new URLSearchParams('_elements=name,birthDate&_elements=gender'))).toEqual({
      elements: ['name', 'birthDate', 'gender'],
    });
    expect(parseProjection(new URLSearchParams('_summary=false'))).toEqual({});
  });

  it('rejects bad values instead of ignoring them', () => {
    expect(() => parseProjection(new URLSearchParams('_summary=all'))).toThrow(AppError);
    expect(() => parseProjection(new URLSearchParams("_elements=name';drop"))).toThrow(AppError);
  });

  it('applies summary before elements', () => {
    const r: Resource = { resourceType: 'Patient' };
    expect(applyProjection(r, { summary: 'data', elements: ['name'] }, projector).id).toBe('summary-data');
    expect(applyProjection(r, { elements: ['name'] }, projector).id).toBe('elements-name');
    expect(applyProjection(r, {}, projector)).toBe(r);
  });
});
