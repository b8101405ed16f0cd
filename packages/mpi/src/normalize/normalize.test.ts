import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { compareRecords, FIELD_LEVELS } from '../match/fields.ts';
import { createHanConverter, splitHanName, surnamePinyin } from './han.ts';
import { latinTokens } from './latin.ts';
import { normalisePhone } from './phone.ts';
import { toMatchRecord } from './record.ts';
import { readResidentId, upgradeLegacyId } from './resident-id.ts';

const han = createHanConverter();
const ID = 'https://yiyun.dev/fhir/sid/cn-resident-id';
const record = (p: Omit<Patient, 'resourceType'>) =>
  toMatchRecord(han, { resourceType: 'Patient', id: 'x', ...p }, { today: '2026-12-02' });
const level = (
  field: keyof typeof FIELD_LEVELS,
  a: Omit<Patient, 'resourceType'>,
  b: Omit<Patient, 'resourceType'>,
) => FIELD_LEVELS[field][compareRecords(record(a), record({ ...b, id: 'y' }))[field]];

describe('Chinese names', () => {
  it('reads polyphonic surnames with their surname reading, keeping the common reading as a variant', () => {
    expect(surnamePinyin('曾')[0]).toBe('zeng');
    expect(surnamePinyin('单')[0]).toBe('shan');
    expect(surnamePinyin('解')[0]).toBe('xie');
    expect(surnamePinyin('仇')[0]).toBe('qiu');
    expect(surnamePinyin('曾')).toContain('ceng');
  });

  it('matches a character name with its pinyin in either order, whatever the case', () => {
    const hanzi = { name: [{ family: '曾', given: ['国藩'] }] };
    expect(level('name', hanzi, { name: [{ text: 'ZENG GUOFAN' }] })).toBe('same-pinyin');
    expect(level('name', hanzi, { name: [{ family: 'Guofan', given: ['Zeng'] }] })).toBe('same-pinyin');
  });

  it('splits compound surnames and compares a split-up name with the whole', () => {
    expect(splitHanName('欧阳娜娜')).toEqual({ family: '欧阳', given: '娜娜' });
    expect(splitHanName('司马光')).toEqual({ family: '司马', given: '光' });
    expect(splitHanName('张伟')).toEqual({ family: '张', given: '伟' });
    expect(
      level('name', { name: [{ text: '欧阳娜娜' }] }, { name: [{ family: '欧', given: ['阳娜娜'] }] }),
    ).toBe('same-characters');
  });

  it('treats traditional and simplified characters as the same name', () => {
    expect(level('name', { name: [{ text: '張偉' }] }, { name: [{ text: '张伟' }] })).toBe('same-characters');
    expect(level('name', { name: [{ text: '歐陽娜娜' }] }, { name: [{ text: '欧阳娜娜' }] })).toBe(
      'same-characters',
    );
  });

  it('reads minority names with any middle dot, in either order', () => {
    const a = { name: [{ text: '阿依古丽·买买提' }] };
    expect(level('name', a, { name: [{ text: '阿依古丽•买买提' }] })).toBe('same-characters');
    expect(level('name', a, { name: [{ family: '买买提', given: ['阿依古丽'] }] })).toBe('same-characters');
  });

  it('grades homophones and one-character typos below the same characters', () => {
    expect(level('name', { name: [{ text: '张伟' }] }, { name: [{ text: '张玮' }] })).toBe('same-pinyin');
    expect(level('name', { name: [{ text: '李建华' }] }, { name: [{ text: '李建军' }] })).toBe('similar');
    expect(level('name', { name: [{ text: '李建华' }] }, { name: [{ text: '王芳' }] })).toBe('different');
  });
});

describe('Latin names', () => {
  it('fold case and diacritics, and the ü spellings of pinyin', () => {
    expect(latinTokens('José  MÜLLER-Lüdenscheid')).toEqual(['jose', 'mvllerlvdenscheid']);
    expect(latinTokens('LYU Yang')).toEqual(['lv', 'yang']);
    expect(latinTokens('Lü Yang')).toEqual(['lv', 'yang']);
  });

  it('compare in either order, structured or free text', () => {
    expect(
      level('name', { name: [{ family: 'Smith', given: ['John'] }] }, { name: [{ text: 'SMITH John' }] }),
    ).toBe('same-pinyin');
    expect(level('name', { name: [{ text: 'John Smith' }] }, { name: [{ text: 'Smith, John' }] })).toBe(
      'same-pinyin',
    );
    expect(level('name', { name: [{ text: 'Jon Smith' }] }, { name: [{ text: 'John Smith' }] })).toBe(
      'similar',
    );
  });
  it('agree when a middle name is dropped or cut to an initial, not for siblings sharing both surnames', () => {
    const full = { name: [{ family: 'Smith', given: ['John', 'Michael'] }] };
    expect(level('name', full, { name: [{ family: 'SMITH', given: ['John'] }] })).toBe('same-pinyin');
    expect(level('name', full, { name: [{ text: 'John M. Smith' }] })).toBe('same-pinyin');
    expect(
      level(
        'name',
        { name: [{ family: 'Santos Cruz', given: ['Maria'] }] },
        { name: [{ family: 'Santos Cruz', given: ['Jose'] }] },
      ),
    ).toBe('same-surname');
    expect(
      level(
        'name',
        { name: [{ family: 'De la Cruz', given: ['Ana'] }] },
        { name: [{ text: 'ANA DELA CRUZ' }] },
      ),
    ).toBe('same-pinyin');
  });
});

describe('travel documents', () => {
  const passport = (value: string, system = 'http://hl7.org/fhir/sid/passport-USA') => ({
    identifier: [{ system, value }],
  });
  it('compare passport numbers across spacing and case, of any passport system or type PPN', () => {
    expect(level('document', passport('E1234 5678'), passport('e12345678'))).toBe('exact');
    expect(
      level('document', passport('E12345678'), {
        identifier: [{ type: { coding: [{ code: 'PPN' }] }, value: 'E12345678' }],
      }),
    ).toBe('exact');
    expect(level('document', passport('E12345678'), passport('E87654321'))).toBe('different');
  });

  it("reads a foreigner's permanent residence ID as an identity number with its check character", () => {
    const system = 'https://yiyun.dev/fhir/sid/cn-foreign-permanent-residence-id';
    const valid = record({ identifier: [{ system, value: '935840198003150017' }] });
    expect(valid.residentId).toBe('935840198003150017');
    expect(valid.idValid).toBe(true);
    expect(record({ identifier: [{ system, value: '935840198003150011' }] }).flags).toContain('id-invalid');
  });
});

describe('resident ID numbers', () => {
  it('validates the MOD 11-2 check character and flags a bad one', () => {
    expect(readResidentId('11010519491231002X').isValid).toBe(true);
    expect(readResidentId('11010519491231002x').value).toBe('11010519491231002X');
    expect(readResidentId('110105194912310021').isValid).toBe(false);
    expect(record({ identifier: [{ system: ID, value: '110105194912310021' }] }).flags).toContain(
      'id-invalid',
    );
  });

  it('converts 15-digit legacy numbers to 18 digits', () => {
    expect(upgradeLegacyId('110105491231002')).toBe('11010519491231002X');
    const r = record({ identifier: [{ system: ID, value: '110105491231002' }] });
    expect(r.residentId).toBe('11010519491231002X');
    expect(r.flags).toContain('id-legacy');
  });

  it('cross-checks the birth date and sex the number encodes with the record', () => {
    const r = record({
      identifier: [{ system: ID, value: '11010519491231002X' }],
      birthDate: '1949-12-30',
      gender: 'male',
    });
    expect(r.flags).toEqual(expect.arrayContaining(['id-birth-date-mismatch', 'id-gender-mismatch']));
  });

  it('grades a transposed digit as one edit, not a different number', () => {
    expect(
      level(
        'residentId',
        { identifier: [{ system: ID, value: '11010519491231002X' }] },
        {
          identifier: [{ system: ID, value: '11010519492131002X' }],
        },
      ),
    ).toBe('one-digit');
  });
});

describe('birth dates and contact', () => {
  it('recognises a swapped day and month and a one-part typo', () => {
    expect(level('birthDate', { birthDate: '1980-03-07' }, { birthDate: '1980-07-03' })).toBe(
      'day-month-swapped',
    );
    expect(level('birthDate', { birthDate: '1980-03-07' }, { birthDate: '1980-03-08' })).toBe(
      'one-part-differs',
    );
  });

  it('flags impossible and future birth dates and does not compare them', () => {
    expect(record({ birthDate: '2031-01-01' }).flags).toContain('birth-date-future');
    expect(record({ birthDate: '1850-01-01' }).birthDate).toBeNull();
    expect(level('birthDate', { birthDate: '2031-01-01' }, { birthDate: '2031-01-01' })).toBeUndefined();
  });

  it('normalises phone numbers with country codes and separators', () => {
    expect(normalisePhone('+86 139-5000-1234')).toBe('13950001234');
    expect(normalisePhone('0086 13950001234')).toBe('13950001234');
    expect(normalisePhone('0592-5551234')).toBe('05925551234');
    expect(normalisePhone('000')).toBeNull();
  });

  it('flags a record without a usable name', () => {
    expect(record({ name: [{ text: '  ' }] }).flags).toContain('name-missing');
  });
});
