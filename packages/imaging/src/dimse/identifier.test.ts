import { describe, expect, it } from 'vitest';
import { identifierKeys, responseIdentifier } from './identifier.ts';

describe('C-FIND identifiers (PS3.4 §C.2.2)', () => {
  it('reads matching keys and return keys from a dcmjs-naturalized identifier', () => {
    const keys = identifierKeys({
      _vrMap: {},
      QueryRetrieveLevel: 'STUDY',
      PatientName: [{ Alphabetic: 'WANG*', Ideographic: '王*' }],
      PatientID: '',
      StudyDate: '20200101-20201231 ',
      ModalitiesInStudy: ['CT', 'MR'],
      NumberOfStudyRelatedInstances: null,
      AccessionNumber: '*',
      StudyInstanceUID: ['1.2.3', '1.2.4'],
      '00091010': 'private',
    });
    const byTag = Object.fromEntries(keys.map((k) => [k.tag, k.value]));
    expect(byTag).toEqual({
      '00080052': 'STUDY',
      '00100010': 'WANG*=王*',
      '00100020': undefined,
      '00080020': '20200101-20201231',
      '00080061': 'CT\\MR',
      '00201208': undefined,
      '00080050': undefined, // `*` alone is universal matching
      '0020000D': '1.2.3\\1.2.4',
      '00091010': 'private',
    });
    expect(keys.find((k) => k.tag === '00100010')?.vr).toBe('PN');
  });

  it('answers exactly the requested keys, empty where the match has no value', () => {
    const keys = identifierKeys({
      QueryRetrieveLevel: 'STUDY',
      PatientID: '',
      StudyDescription: '',
      StudyInstanceUID: '',
    });
    const match = {
      '00100020': { vr: 'LO', Value: ['MRN-1'] },
      '0020000D': { vr: 'UI', Value: ['1.2.3'] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Wang^Fang' }] }, // not requested
    };
    expect(responseIdentifier(match, keys, { QueryRetrieveLevel: 'STUDY' })).toEqual({
      PatientID: 'MRN-1',
      StudyDescription: '',
      StudyInstanceUID: '1.2.3',
      QueryRetrieveLevel: 'STUDY',
    });
  });

  it('declares ISO_IR 192 when a value is not ASCII', () => {
    const keys = identifierKeys({ PatientName: '' });
    const match = { '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Wang^Fang', Ideographic: '王^芳' }] } };
    expect(responseIdentifier(match, keys, {})).toEqual({
      PatientName: [{ Alphabetic: 'Wang^Fang', Ideographic: '王^芳' }],
      SpecificCharacterSet: 'ISO_IR 192',
    });
  });
});
