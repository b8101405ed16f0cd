import { describe, expect, it } from 'vitest';
import { formatBanner } from './demo-banner.ts';

const result = {
  residents: 2_000,
  patients: 2_329,
  resources: 84_190,
  created: 84_190,
  updated: 0,
  failed: 0,
  issues: [],
  seconds: 34.2,
};

describe('formatBanner', () => {
  it('names the FHIR base, the metadata URL and what was loaded', () => {
    const text = formatBanner({
      baseUrl: 'http://127.0.0.1:8080',
      demo: { kind: 'loaded', result, resumed: false },
    });
    expect(text).toContain('http://127.0.0.1:8080/fhir/R4\n');
    expect(text).toContain('http://127.0.0.1:8080/fhir/R4/metadata');
    expect(text).toContain('2,000 residents (2,329 Patient records), 84,190 resources loaded');
    expect(text).toContain('demo accounts');
    expect(text).toContain('YIYUN_DEMO_RESIDENTS=0');
    expect(text).not.toContain('WARNING');
  });

  it('warns when generated resources were refused', () => {
    const demo = { kind: 'loaded' as const, result: { ...result, failed: 3 }, resumed: true };
    const text = formatBanner({ baseUrl: 'http://h', demo });
    expect(text).toContain('WARNING        3 generated resources failed validation');
    expect(text).toContain('interrupted load, finished');
  });

  it('says nothing was loaded on a later start, and nothing about the demo when it is off', () => {
    expect(formatBanner({ baseUrl: 'http://h', demo: { kind: 'present' } })).toContain('nothing loaded');
    const off = formatBanner({ baseUrl: 'http://h', demo: { kind: 'off' } });
    expect(off).toContain('http://h/fhir/R4/metadata');
    expect(off).not.toMatch(/demo/);
  });
});
