import { describe, expect, it } from 'vitest';
import type { DicomJson } from '../service/port.ts';
import { fhirDate, fhirGender, patientOf } from './patient.ts';

describe('patientOf', () => {
  it('maps id, issuer, name, birth date, sex and other ids', () => {
    const dataset: DicomJson = {
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Li^Lei', Ideographic: '李^雷' }] },
      '00100020': { vr: 'LO', Value: ['MRN-7'] },
      '00100021': { vr: 'LO', Value: ['HOSP-A'] },
      '00100030': { vr: 'DA', Value: ['19991231'] },
      '00100040': { vr: 'CS', Value: ['M'] },
      '00101002': {
        vr: 'SQ',
        Value: [
          {
            '00100020': { vr: 'LO', Value: ['110101199912310011'] },
            '00100021': { vr: 'LO', Value: ['CN-ID'] },
          },
          { '00100021': { vr: 'LO', Value: ['no id: skipped'] } },
        ],
      },
    };
    expect(patientOf(dataset)).toEqual({
      id: 'MRN-7',
      issuer: 'HOSP-A',
      name: { alphabetic: 'Li^Lei', ideographic: '李^雷' },
      birthDate: '1999-12-31',
      gender: 'male',
      otherIds: [{ id: '110101199912310011', issuer: 'CN-ID' }],
    });
  });

  it('leaves out what is absent', () => {
    expect(patientOf({})).toEqual({ otherIds: [] });
  });

  it('converts only real dates, in DA or the retired dotted form', () => {
    expect(fhirDate('20240229')).toBe('2024-02-29');
    expect(fhirDate('1970.01.02')).toBe('1970-01-02');
    for (const bad of ['20230229', '20241301', '2024010', '00000000', 'unknown', ''])
      expect(fhirDate(bad)).toBeUndefined();
  });

  it('maps M/F/O to FHIR gender and anything else to unknown', () => {
    expect([
      fhirGender('M'),
      fhirGender('F'),
      fhirGender('O'),
      fhirGender('X'),
      fhirGender(undefined),
    ]).toEqual(['male', 'female', 'other', 'unknown', undefined]);
  });
});
