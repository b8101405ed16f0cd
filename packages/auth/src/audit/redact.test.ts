import { describe, expect, it } from 'vitest';
import { containsIdentifier, redactQuery, scrubText } from './redact.ts';

describe('scrubText', () => {
  it('masks resident ID numbers (18 digits or 17 + X, and the old 15-digit form)', () => {
    expect(scrubText('id 11010519491231002X ok')).toBe('id *** ok');
    expect(scrubText('id 110105194912310021.')).toBe('id ***.');
    expect(scrubText('old 110105491231002')).toBe('old ***');
  });

  it('masks mobile and landline phone numbers', () => {
    expect(scrubText('call 13812345678 or +86 13912345678 or 010-62345678')).toBe('call *** or *** or ***');
  });

  it('leaves other numbers alone', () => {
    expect(scrubText('seq 12345, timestamp 1717171717171, batch 20')).toBe(
      'seq 12345, timestamp 1717171717171, batch 20',
    );
    expect(containsIdentifier('Observation/12345')).toBe(false);
  });
});

describe('redactQuery', () => {
  it('masks values of identifying parameters, keeping their names', () => {
    expect(redactQuery('name=%E5%BC%A0%E4%B8%89&gender=female&_count=10')).toBe(
      'name=***&gender=female&_count=10',
    );
    expect(redactQuery('?identifier=urn:oid:2.16.156.10011.1.1|110105194912310021')).toBe('?identifier=***');
    expect(redactQuery('telecom=phone|13812345678&family:exact=Li')).toBe('telecom=***&family:exact=***');
  });

  it('masks identifying parameters reached through chains and _has', () => {
    expect(redactQuery('subject:Patient.name=Wang&code=1234-5')).toBe('subject:Patient.name=***&code=1234-5');
    expect(redactQuery('_has:Observation:patient:identifier=x')).toBe(
      '_has:Observation:patient:identifier=***',
    );
  });

  it('masks any value that holds an ID or phone number', () => {
    expect(redactQuery('note=13812345678&status=final')).toBe('note=***&status=final');
  });

  it('keeps ordinary queries exactly', () => {
    expect(redactQuery('subject=Patient/p1&date=ge2024-01-01&_sort=-date')).toBe(
      'subject=Patient/p1&date=ge2024-01-01&_sort=-date',
    );
    expect(redactQuery('')).toBe('');
  });
});
