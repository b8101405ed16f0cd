import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { elementAtPath } from './attributes.ts';
import { bulkValue } from './bulkdata.ts';
import { extractFrames } from './frames.ts';
import { corpusFile, parseForTest } from './testing.ts';

function open(name: string) {
  const part10 = corpusFile(name);
  return { part10, parsed: parseForTest(part10) };
}

describe('bulkValue', () => {
  it('returns the value bytes of a bulk data element as a view of the stored bytes', () => {
    const { part10, parsed } = open('CT_small.dcm');
    const range = parsed.bulk.get('00431029')!;
    const value = bulkValue(part10, parsed, '00431029');
    expect(value.length).toBe(range.length);
    expect(value.buffer).toBe(part10.buffer);
    expect(value.byteOffset).toBe(range.offset);
    expect(bulkValue(part10, parsed, '7FE00010').length).toBe(128 * 128 * 2);
  });

  it('finds bulk data inside sequences by its path', () => {
    const { part10, parsed } = open('waveform_ecg.dcm');
    for (const path of ['54000100.0.54001010', '54000100.1.54001010']) {
      const value = bulkValue(part10, parsed, path);
      expect(value.byteOffset).toBe(parsed.bulk.get(path)!.offset);
      expect(value.length).toBe(parsed.bulk.get(path)!.length);
    }
  });

  it('returns big endian OW values little endian, as Explicit VR Little Endian would encode them', () => {
    const little = open('MR_small.dcm');
    const big = open('MR_small_bigendian.dcm');
    const expected = Buffer.from(bulkValue(little.part10, little.parsed, '7FE00010'));
    expect(Buffer.from(bulkValue(big.part10, big.parsed, '7FE00010')).equals(expected)).toBe(true);
  });

  it('returns encapsulated Pixel Data as its items (Basic Offset Table first)', () => {
    const { part10, parsed } = open('SC_rgb_jpeg_dcmtk.dcm');
    const value = bulkValue(part10, parsed, '7FE00010');
    expect(Buffer.from(value.subarray(0, 4)).toString('hex')).toBe('feff00e0');
  });

  it('inflates deflated instances', () => {
    const { part10, parsed } = open('image_dfl.dcm');
    expect(bulkValue(part10, parsed, '7FE00010').length).toBe(512 * 512);
  });

  it('throws not-found for a path that is not bulk data', () => {
    const { part10, parsed } = open('CT_small.dcm');
    for (const path of ['00100010', '7FE00010.0.00100010', '../etc']) {
      const err = (() => {
        try {
          bulkValue(part10, parsed, path);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('not-found');
    }
  });
});

describe('elementAtPath', () => {
  it('walks tag, item index, tag … through sequences', () => {
    const dataset = {
      '00540016': {
        vr: 'SQ',
        Value: [{ '00181072': { vr: 'TM', Value: ['1200'] } }, { '00181074': { vr: 'DS' } }],
      },
    };
    expect(elementAtPath(dataset, '00540016.0.00181072')?.vr).toBe('TM');
    expect(elementAtPath(dataset, '00540016.1.00181074')?.vr).toBe('DS');
    expect(elementAtPath(dataset, '00540016.2.00181074')).toBeUndefined();
    expect(elementAtPath(dataset, '00540016.x.00181074')).toBeUndefined();
    expect(elementAtPath(dataset, '00540016')?.vr).toBe('SQ');
  });
});

describe('bulk data the parse did not locate', () => {
  it('is unsupported, not missing, when the metadata points at it', () => {
    const part10 = corpusFile('CT_small.dcm');
    const parsed = { ...parseForTest(part10), bulk: new Map() };
    expect(() => bulkValue(part10, parsed, '7FE00010')).toThrow(/no stored location/);
    expect(() => extractFrames(part10, parsed, [1])).toThrow(/no stored location/);
  });
});
