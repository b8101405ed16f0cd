import { describe, expect, it } from 'vitest';
import { foldText, fuzzyForm, fuzzyWords, normaliseGroup, personNameOfJson } from './person-name.ts';

describe('person names (PS3.5 §6.2.1)', () => {
  it('normalises a group: trimmed components, trailing empties dropped, lower case', () => {
    expect(normaliseGroup('Wang^Fang^^^')).toBe('wang^fang');
    expect(normaliseGroup(' Wang ^ Fang ')).toBe('wang^fang');
    expect(normaliseGroup('^^')).toBeUndefined();
    expect(normaliseGroup('王^芳')).toBe('王^芳');
  });

  it('reads DICOM JSON and string PN values', () => {
    expect(personNameOfJson({ Alphabetic: 'Wang^Fang', Ideographic: '王^芳' })).toEqual({
      alphabetic: 'Wang^Fang',
      ideographic: '王^芳',
    });
    expect(personNameOfJson('Wang^Fang=王^芳')).toEqual({ alphabetic: 'Wang^Fang', ideographic: '王^芳' });
    expect(personNameOfJson({})).toBeUndefined();
  });

  it('folds case, accents and full-width letters', () => {
    expect(foldText('Müller ＷＡＮＧ')).toBe('muller wang');
  });

  it('the fuzzy form holds words, joined components and the joined group of every group', () => {
    const form = fuzzyForm({ alphabetic: 'Wang^Xiao Fang', ideographic: '王^小芳' }) ?? '';
    for (const token of ['wang', 'xiao', 'fang', 'xiaofang', 'wangxiaofang', '王', '小芳', '王小芳'])
      expect(form).toContain(` ${token} `);
    expect(fuzzyWords('Xiao-Fang  wang*')).toEqual(['xiao', 'fang', 'wang']);
  });
});
