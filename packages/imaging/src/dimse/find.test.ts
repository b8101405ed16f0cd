import { describe, expect, it } from 'vitest';
import { planFind } from './find.ts';
import { identifierKeys } from './identifier.ts';
import { DimseRefusal } from './status-codes.ts';

describe('C-FIND identifier → imaging query (PS3.4 §C.4.1.2.1)', () => {
  it('scopes a SERIES query by its Study Instance UID and keeps the other keys as matching keys', () => {
    const plan = planFind(
      'study',
      identifierKeys({
        QueryRetrieveLevel: 'SERIES',
        StudyInstanceUID: '1.2.3',
        Modality: 'CT',
        SeriesInstanceUID: '',
      }),
    );
    expect(plan.level).toBe('series');
    expect(plan.query.study).toBe('1.2.3');
    expect([...plan.query.match]).toEqual([['00080060', 'CT']]);
    expect(plan.query.includeFields).toEqual(['0020000D', '00080060', '0020000E']);
  });

  it('answers PATIENT level from study queries in the Patient Root model only', () => {
    const keys = identifierKeys({ QueryRetrieveLevel: 'PATIENT', PatientID: '1CT1', PatientName: '' });
    expect(planFind('patient', keys)).toMatchObject({ level: 'patient', query: { level: 'study' } });
    expect(() => planFind('study', keys)).toThrow(DimseRefusal);
  });

  it('refuses an identifier without a known level with 0xA900', () => {
    try {
      planFind('study', identifierKeys({ PatientID: 'x' }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DimseRefusal);
      expect((error as DimseRefusal).status).toBe(0xa900);
    }
  });
});
