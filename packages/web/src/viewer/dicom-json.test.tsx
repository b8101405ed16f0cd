import { describe, expect, it } from 'vitest';
import {
  type DicomJson,
  formatDicomDate,
  numberValue,
  parseDicomDate,
  stringValue,
  stringValues,
} from './dicom-json.tsx';

const ds: DicomJson = {
  '00081030': { vr: 'LO', Value: ['Chest CT'] },
  '00080061': { vr: 'CS', Value: ['CT', 'SR'] },
  '00200013': { vr: 'IS', Value: ['7'] },
  '00280008': { vr: 'IS', Value: [3] },
  '00100010': { vr: 'PN' },
};

describe('DICOM JSON values (PS3.18 §F.2)', () => {
  it('reads strings, multi-values and numbers sent as numbers or numeric strings', () => {
    expect(stringValue(ds, '00081030')).toBe('Chest CT');
    expect(stringValues(ds, '00080061')).toEqual(['CT', 'SR']);
    expect(numberValue(ds, '00200013')).toBe(7);
    expect(numberValue(ds, '00280008')).toBe(3);
  });

  it('treats absent and empty attributes as missing', () => {
    expect(stringValue(ds, '00100010')).toBeUndefined();
    expect(numberValue(ds, '00201209')).toBeUndefined();
  });

  it('formats DA dates the Chinese way and leaves malformed ones as sent', () => {
    expect(parseDicomDate('20040119')?.getMonth()).toBe(0);
    expect(formatDicomDate('20040119', 'zh-CN')).toBe('2004年1月19日');
    expect(formatDicomDate('2004-01', 'zh-CN')).toBe('2004-01');
    expect(formatDicomDate(undefined, 'zh-CN')).toBeUndefined();
  });
});
