import { describe, expect, it } from 'vitest';
import { readFileMeta } from '../dicom/file-meta.ts';
import { buildPart10, IMPLEMENTATION_CLASS_UID, part10Dataset } from './part10.ts';

const fields = {
  transferSyntaxUid: '1.2.840.10008.1.2', // odd length: padded with NUL
  sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
  sopInstanceUid: '1.2.3.4.5',
  sourceAeTitle: 'CT01', // even
  receivingAeTitle: 'YIYUN', // odd: padded with a space
};

describe('Part 10 framing of a C-STORE dataset (PS3.10 §7.1)', () => {
  it('puts preamble, DICM and a File Meta group in front of the dataset bytes, unchanged', () => {
    const dataset = new Uint8Array([0x08, 0x00, 0x18, 0x00, 0x04, 0x00, 0x00, 0x00, 0x31, 0x2e, 0x32, 0x00]);
    const bytes = buildPart10(dataset, fields);
    expect(Buffer.from(bytes.subarray(128, 132)).toString('latin1')).toBe('DICM');
    const meta = readFileMeta(bytes);
    expect(meta.transferSyntaxUid).toBe(fields.transferSyntaxUid);
    expect(meta.mediaStorageSopClassUid).toBe(fields.sopClassUid);
    expect(meta.mediaStorageSopInstanceUid).toBe(fields.sopInstanceUid);
    expect(Buffer.from(bytes.subarray(meta.datasetOffset)).equals(Buffer.from(dataset))).toBe(true);
    expect(meta.datasetOffset % 2).toBe(0);
  });

  it('records the AE titles and our implementation, every value of even length', () => {
    const text = Buffer.from(buildPart10(new Uint8Array(0), fields)).toString('latin1');
    expect(text).toContain('CT01'); // (0002,0016) and (0002,0017)
    expect(text).toContain('YIYUN '); // (0002,0018)
    expect(text).toContain(IMPLEMENTATION_CLASS_UID);
  });

  it('gives back the dataset of a stored object and its transfer syntax', () => {
    const dataset = new Uint8Array([1, 2, 3, 4]);
    const split = part10Dataset(buildPart10(dataset, fields));
    expect(split.transferSyntaxUid).toBe(fields.transferSyntaxUid);
    expect([...split.dataset]).toEqual([1, 2, 3, 4]);
  });
});
