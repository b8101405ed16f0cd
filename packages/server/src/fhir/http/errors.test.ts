import { AppError } from '@yiyun/fhir';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { atEntry, errorFromResponse, errorLogFields, renderError } from './errors.ts';

function captureLogger(lines: string[]): pino.Logger {
  return pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
}

describe('renderError', () => {
  it('renders an AppError with its table status', () => {
    const { status, body } = renderError(
      new AppError('precondition-failed', 'stale'),
      pino({ level: 'silent' }),
    );
    expect(status).toBe(412);
    expect(body.issue?.[0]?.diagnostics).toBe('stale');
  });

  it('never echoes an unknown error, and logs it without driver detail', () => {
    const lines: string[] = [];
    const err = Object.assign(new Error('boom secret-ish'), {
      code: '23505',
      detail: 'Key (name)=(Zhang Wei)',
    });
    const { status, body } = renderError(err, captureLogger(lines));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('boom');
    expect(lines[0]).toContain('boom secret-ish');
    expect(lines[0]).toContain('23505');
    expect(lines[0]).not.toContain('Zhang Wei');
  });

  it('describes non-Error throwables by type only', () => {
    expect(errorLogFields('a string with data')).toEqual({ type: 'string' });
  });
});

describe('atEntry', () => {
  it('prefixes the message and adds the entry to every issue expression', () => {
    const err = atEntry(
      3,
      new AppError('invalid', 'bad', {
        issues: [{ severity: 'error', code: 'value', expression: ['Patient.gender'] }],
      }),
    );
    expect(err).toBeInstanceOf(AppError);
    const app = err as AppError;
    expect(app.message).toBe('Bundle.entry[3]: bad');
    expect(app.issues[0]?.expression).toEqual(['Patient.gender', 'Bundle.entry[3]']);
  });

  it('passes unknown errors through untouched', () => {
    const e = new Error('x');
    expect(atEntry(0, e)).toBe(e);
  });
});

describe('errorFromResponse', () => {
  it('maps a returned failure to the AppError of the same status, keeping its issues', () => {
    const err = errorFromResponse({
      status: 405,
      body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported' }] },
    });
    expect(err.code).toBe('method-not-allowed');
    expect(err.issues).toHaveLength(1);
    expect(errorFromResponse({ status: 418 }).code).toBe('invalid');
  });
});
