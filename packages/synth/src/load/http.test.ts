import { describe, expect, it } from 'vitest';
import { codeForStatus, diagnosticsOf, parseServerUrl } from './http.ts';
import { progressCount } from './import-loader.ts';

describe('parseServerUrl', () => {
  it('accepts http(s) URLs and drops trailing slashes', () => {
    expect(parseServerUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(parseServerUrl('https://yiyun.example/region//')).toBe('https://yiyun.example/region');
  });

  it.each(['not a url', 'ftp://host/x', '127.0.0.1:8080', 'http://h/?a=1'])('rejects %j naming it', (raw) => {
    expect(() => parseServerUrl(raw)).toThrow(raw);
  });
});

describe('diagnosticsOf', () => {
  it('joins the diagnostics of an OperationOutcome', () => {
    const body = JSON.stringify({
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'error', code: 'invalid', diagnostics: 'Unknown upload: x' },
        { severity: 'error', code: 'invalid', details: { text: 'second' } },
      ],
    });
    expect(diagnosticsOf(body)).toBe('Unknown upload: x; second');
  });

  it('falls back to the start of a non-FHIR body', () => {
    expect(diagnosticsOf('  <html>Bad Gateway</html>\n')).toBe('<html>Bad Gateway</html>');
    expect(diagnosticsOf('x'.repeat(1000))).toHaveLength(300);
  });
});

describe('codeForStatus', () => {
  it('keeps 4xx as client errors and 5xx as internal', () => {
    expect(codeForStatus(400)).toBe('invalid');
    expect(codeForStatus(401)).toBe('unauthenticated');
    expect(codeForStatus(403)).toBe('forbidden');
    expect(codeForStatus(413)).toBe('too-large');
    expect(codeForStatus(418)).toBe('invalid');
    expect(codeForStatus(503)).toBe('internal');
  });
});

describe('progressCount', () => {
  it('reads the resource count from X-Progress', () => {
    expect(progressCount('running: 12345 resources')).toBe(12345);
    expect(progressCount('queued: 0 resources')).toBe(0);
    expect(progressCount(null)).toBeUndefined();
    expect(progressCount('50%')).toBeUndefined();
  });
});
