import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { parseQidoQuery } from './query.ts';

const parse = (qs: string, level: 'study' | 'series' | 'instance' = 'study', study?: string) =>
  parseQidoQuery(new URLSearchParams(qs), { level, ...(study ? { study } : {}) });

describe('parseQidoQuery', () => {
  it('maps keywords and tags to tags, keeping values as sent', () => {
    const { query } = parse(
      `PatientName=${encodeURIComponent('王*')}&00100020=ID-1&StudyDate=20240101-20240131`,
    );
    expect(Object.fromEntries(query.match)).toEqual({
      '00100010': '王*',
      '00100020': 'ID-1',
      '00080020': '20240101-20240131',
    });
    expect(query.level).toBe('study');
    expect(query.fuzzyMatching).toBe(false);
    expect(query.includeFields).toEqual([]);
  });

  it('reads includefield as repeated keys, comma lists or all; unknown names only warn', () => {
    const { query, warnings } = parse(
      'includefield=StudyDescription,00081030&includefield=Modality&includefield=NoSuchThing',
    );
    expect(query.includeFields).toEqual(['00081030', '00080060']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('NoSuchThing');
    expect(parse('includefield=all&includefield=Modality').query.includeFields).toBe('all');
  });

  it('turns UID lists (comma or repeated) into DICOM multiple values', () => {
    expect(parse('StudyInstanceUID=1.2.3,1.2.4').query.match.get('0020000D')).toBe('1.2.3\\1.2.4');
    expect(parse('StudyInstanceUID=1.2.3&StudyInstanceUID=1.2.5').query.match.get('0020000D')).toBe(
      '1.2.3\\1.2.5',
    );
    expect(parse('PatientName=Smith,John').query.match.get('00100010')).toBe('Smith,John');
  });

  it('treats an empty value as a return key (universal matching)', () => {
    const { query } = parse('AccessionNumber=');
    expect(query.match.size).toBe(0);
    expect(query.includeFields).toEqual(['00080050']);
  });

  it('reads fuzzymatching, limit, offset and the path scope', () => {
    const { query } = parseQidoQuery(new URLSearchParams('fuzzymatching=true&limit=10&offset=20'), {
      level: 'instance',
      study: '1.2',
      series: '1.2.3',
    });
    expect(query).toMatchObject({
      level: 'instance',
      study: '1.2',
      series: '1.2.3',
      fuzzyMatching: true,
      limit: 10,
      offset: 20,
    });
  });

  it('ignores accept and charset (they apply to every transaction)', () => {
    expect(parse('accept=application/dicom%2Bjson&charset=utf-8').query.match.size).toBe(0);
  });

  it('refuses unknown attributes, sequence paths and bad paging with 400 messages', () => {
    for (const qs of [
      'NoSuchKeyword=1',
      'ReferencedSeriesSequence.SeriesInstanceUID=1',
      'limit=abc',
      'limit=0',
      'offset=-1',
      'fuzzymatching=yes',
    ]) {
      const attempt = () => parse(qs);
      expect(attempt, qs).toThrow(AppError);
      try {
        attempt();
      } catch (err) {
        expect((err as AppError).status).toBe(400);
      }
    }
    expect(() => parse('NoSuchKeyword=1')).toThrow(/"NoSuchKeyword" is not a known DICOM attribute/);
  });
});
