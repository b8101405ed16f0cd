import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { likePattern, parseDateTimeRange, parseInteger, parseRange, parseUidList } from './match-values.ts';

const TAG = '00080020';

describe('date ranges (PS3.4 §C.2.2.2.5)', () => {
  it('a single date is that day; partial dates are their whole period', () => {
    expect(parseRange(TAG, '20240229', 'date')).toEqual({ low: '2024-02-29', high: '2024-02-29' });
    expect(parseRange(TAG, '2024', 'date')).toEqual({ low: '2024-01-01', high: '2024-12-31' });
    expect(parseRange(TAG, '202302', 'date')).toEqual({ low: '2023-02-01', high: '2023-02-28' });
  });

  it('closed and open ranges', () => {
    expect(parseRange(TAG, '20240101-20240131', 'date')).toEqual({ low: '2024-01-01', high: '2024-01-31' });
    expect(parseRange(TAG, '-2024', 'date')).toEqual({ high: '2024-12-31' });
    expect(parseRange(TAG, '2024-', 'date')).toEqual({ low: '2024-01-01' });
  });

  it.each(['2024013', '20241301', '20240230', '2024-01-01', '20240201-20240101', '-', 'abc', '1-2-3'])(
    'rejects %s as invalid',
    (value) => {
      expect(() => parseRange(TAG, value, 'date')).toThrow(AppError);
      try {
        parseRange(TAG, value, 'date');
      } catch (err) {
        expect((err as AppError).code).toBe('invalid');
      }
    },
  );
});

describe('time ranges', () => {
  it('partial times span their period; fractions and legacy colons are accepted', () => {
    expect(parseRange('00080030', '10', 'time')).toEqual({ low: '10:00:00.000000', high: '10:59:59.999999' });
    expect(parseRange('00080030', '0800-1230', 'time')).toEqual({
      low: '08:00:00.000000',
      high: '12:30:59.999999',
    });
    expect(parseRange('00080030', '101500.5', 'time')).toEqual({
      low: '10:15:00.500000',
      high: '10:15:00.599999',
    });
    expect(parseRange('00080030', '10:15:00-', 'time')).toEqual({ low: '10:15:00.000000' });
  });

  it.each(['25', '1060', '1-2', '10a'])('rejects %s', (value) => {
    expect(() => parseRange('00080030', value, 'time')).toThrow(/Invalid matching value/);
  });
});

describe('datetime ranges', () => {
  it('a DT with a UTC offset is one value, not a range', () => {
    expect(parseDateTimeRange('0008002A', '20240101120000-0500')).toEqual({
      low: '2024-01-01 12:00:00.000000',
      high: '2024-01-01 12:00:00.999999',
    });
  });

  it('ranges split at the dash between two datetimes', () => {
    expect(parseDateTimeRange('0008002A', '202401011200-20240102')).toEqual({
      low: '2024-01-01 12:00:00.000000',
      high: '2024-01-02 23:59:59.999999',
    });
    expect(parseDateTimeRange('0008002A', '-2023')).toEqual({ high: '2023-12-31 23:59:59.999999' });
  });

  it('rejects garbage', () => {
    expect(() => parseDateTimeRange('0008002A', '2024-xx')).toThrow(AppError);
  });
});

describe('wildcards, UIDs, integers', () => {
  it('escapes LIKE metacharacters and keeps the literal prefix and its successor', () => {
    expect(likePattern('Wang*')).toEqual({ pattern: 'Wang%', prefix: 'Wang', upper: 'Wanh' });
    expect(likePattern('50%_?*')).toEqual({ pattern: '50\\%\\__%', prefix: '50%_', upper: '50%`' });
    expect(likePattern('*fang').prefix).toBe('');
    expect(likePattern('王*').upper).toBe('王'.replace('王', String.fromCodePoint(0x738b + 1)));
  });

  it('UID lists split on backslash or comma; bad UIDs are invalid', () => {
    expect(parseUidList('0020000D', '1.2.3\\1.2.4,1.2.5')).toEqual(['1.2.3', '1.2.4', '1.2.5']);
    expect(() => parseUidList('0020000D', '1.2.x')).toThrow(AppError);
    expect(() => parseUidList('0020000D', '1.2.3*')).toThrow(AppError);
  });

  it('integers', () => {
    expect(parseInteger('00200013', ' 12 ')).toBe(12);
    expect(() => parseInteger('00200013', '1.5')).toThrow(AppError);
  });
});
