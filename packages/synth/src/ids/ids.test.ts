import { describe, expect, it } from 'vitest';
import { createRng } from '../random/prng.ts';
import { buildHealthCard, isValidHealthCard, luhnCheckDigit } from './health-card.ts';
import { buildResidentId, idCheckDigit, isValidResidentId } from './resident-id.ts';
import { dicomUid } from './uid.ts';
import { buildUscc, isValidUscc, orgCodeCheckChar, usccCheckChar } from './uscc.ts';

describe('GB 11643 resident identity numbers', () => {
  it('computes the check digit of published and hand-worked examples', () => {
    // GB 11643-1999's own example and the widely used sample number.
    expect(idCheckDigit('11010519491231002')).toBe('X');
    expect(idCheckDigit('44052418800101001')).toBe('4');
    // By hand: 3·7+5·9+0·10+2·5+0·8+3·4+1·2+9·1+9·6+0·3+0·7+1·9+0·10+1·5+1·8+2·4+3·2 = 189; 189 mod 11 = 2 → 'X'.
    expect(idCheckDigit('35020319900101123')).toBe('X');
  });

  it('accepts valid numbers and rejects wrong check digits, bad dates and bad shapes', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('440524188001010014')).toBe(true);
    expect(isValidResidentId('35020319900101123X')).toBe(true);
    expect(isValidResidentId('350203199001011230')).toBe(false); // wrong check digit
    expect(isValidResidentId('350203199002301234')).toBe(false); // 30 February
    expect(isValidResidentId('11010519491231002x')).toBe(false); // lower-case x
    expect(isValidResidentId('1101051949123100')).toBe(false);
    expect(() => idCheckDigit('1234')).toThrow(RangeError);
  });

  it('encodes sex in the parity of the sequence', () => {
    const male = buildResidentId({ areaCode: '350206', birthDate: '2001-02-03', sex: 'male', sequence: 17 });
    const female = buildResidentId({
      areaCode: '350206',
      birthDate: '2001-02-03',
      sex: 'female',
      sequence: 17,
    });
    expect(Number(male.charAt(16)) % 2).toBe(1);
    expect(Number(female.charAt(16)) % 2).toBe(0);
    expect(male.slice(0, 14)).toBe('35020620010203');
    expect(isValidResidentId(male) && isValidResidentId(female)).toBe(true);
  });
});

describe('GB 32100 unified social credit codes', () => {
  it('matches the worked example of the standard', () => {
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
    expect(orgCodeCheckChar('M000100Y')).toBe('4');
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(isValidUscc('91350100M000100Y4Z')).toBe(false);
  });

  it('builds valid codes for institutions', () => {
    for (let i = 0; i < 50; i++) expect(isValidUscc(buildUscc('350203', i * 7919))).toBe(true);
  });
});

describe('health card numbers and DICOM UIDs', () => {
  it('uses a Luhn check digit that catches a changed digit', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3'); // the ISO/IEC 7812 textbook example
    const card = buildHealthCard('350211', 2021, 123456);
    expect(card).toHaveLength(18);
    expect(isValidHealthCard(card)).toBe(true);
    expect(isValidHealthCard(card.slice(0, 10) + ((Number(card[10]) + 1) % 10) + card.slice(11))).toBe(false);
  });

  it('draws 2.25 UIDs that are valid FHIR ids', () => {
    const uid = dicomUid(createRng('x'));
    expect(uid).toMatch(/^2\.25\.(0|[1-9]\d*)$/);
    expect(uid.length).toBeLessThanOrEqual(64);
  });
});
