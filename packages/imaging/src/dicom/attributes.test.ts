import { describe, expect, it } from 'vitest';
import { keywordOf, QUERY_ATTRIBUTES, tagOf, vrOf } from './attributes.ts';

describe('tagOf / vrOf / keywordOf', () => {
  it('accepts keywords and tags in every usual spelling', () => {
    for (const s of ['PatientName', '00100010', '0010,0010', '(0010,0010)', '0010,0010 '])
      expect(tagOf(s)).toBe('00100010');
    expect(tagOf('0020000d')).toBe('0020000D');
    expect(tagOf('StudyInstanceUID')).toBe('0020000D');
  });

  it('falls back to the PS3.6 dictionary for other keywords, and refuses unknown ones', () => {
    expect(tagOf('RadiopharmaceuticalStartTime')).toBe('00181072');
    expect(tagOf('NoSuchKeyword')).toBeUndefined();
    expect(tagOf('constructor')).toBeUndefined();
    expect(tagOf('0010,001')).toBeUndefined();
  });

  it('knows the VR and keyword of query attributes and dictionary tags', () => {
    expect(vrOf('00100010')).toBe('PN');
    expect(vrOf('00201208')).toBe('IS');
    expect(vrOf('00280106')).toBe('US'); // US or SS
    expect(vrOf('7FE00010')).toBe('OW');
    expect(vrOf('00091010')).toBeUndefined();
    expect(keywordOf('0008103E')).toBe('SeriesDescription');
    expect(keywordOf('00181072')).toBe('RadiopharmaceuticalStartTime');
  });

  it('agrees with the dictionary for every row of the table', () => {
    for (const a of QUERY_ATTRIBUTES) {
      expect(tagOf(a.keyword)).toBe(a.tag);
      expect(keywordOf(a.tag)).toBe(a.keyword);
    }
  });
});
