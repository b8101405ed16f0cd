import { deflateRawSync } from 'node:zlib';
import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { parsePart10, readBulkValue } from './parse.ts';
import {
  ascii,
  buildPart10,
  concat,
  encodeDataset,
  type FixtureElement,
  instanceElements,
} from './part10-fixture.ts';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const pixels = Uint8Array.from({ length: 4096 }, (_, i) => i % 251);

/** A small CT; `extra` elements are added or replace those with the same tag. */
function ct(extra: FixtureElement[] = []): FixtureElement[] {
  const tags = new Set(extra.map((e) => e.tag));
  const base = instanceElements([
    { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 192' },
    { tag: 0x00080060, vr: 'CS', value: 'CT' },
    { tag: 0x00100010, vr: 'PN', value: 'Wang^Xiaoming' },
    { tag: 0x00100020, vr: 'LO', value: 'MRN-1' },
    { tag: 0x00100030, vr: 'DA', value: '19800229' },
    { tag: 0x00100040, vr: 'CS', value: 'F' },
    { tag: 0x00180050, vr: 'DS', value: ' 2.5 ' },
    { tag: 0x00200013, vr: 'IS', value: '7' },
    { tag: 0x00200032, vr: 'DS', value: '-125\\-125.5\\87' },
    { tag: 0x00280010, vr: 'US', value: [64] },
    { tag: 0x00280011, vr: 'US', value: [32] },
    { tag: 0x00209165, vr: 'AT', value: [0x00100010] },
    { tag: 0x7fe00010, vr: 'OW', value: pixels },
  ]);
  return [...base.filter((e) => !tags.has(e.tag)), ...extra].sort((a, b) => a.tag - b.tag);
}

function expectAppError(fn: () => unknown, code: string, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
  expect((caught as AppError).message).toMatch(message);
}

describe('parsePart10', () => {
  it('returns the UIDs, transfer syntax and patient of an explicit VR little endian instance', () => {
    const parsed = parsePart10(buildPart10(ct()));
    expect(parsed).toMatchObject({
      transferSyntaxUid: EXPLICIT_LE,
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      sopInstanceUid: '2.25.1001',
      studyUid: '2.25.2002',
      seriesUid: '2.25.3003',
      numberOfFrames: 1,
      patient: {
        id: 'MRN-1',
        name: { alphabetic: 'Wang^Xiaoming' },
        birthDate: '1980-02-29',
        gender: 'female',
      },
    });
  });

  it('gives values in the DICOM JSON model: numbers, PN objects, AT hex, no File Meta', () => {
    const { dataset } = parsePart10(buildPart10(ct()));
    expect(dataset['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'Wang^Xiaoming' }] });
    expect(dataset['00180050']).toEqual({ vr: 'DS', Value: [2.5] });
    expect(dataset['00200013']).toEqual({ vr: 'IS', Value: [7] });
    expect(dataset['00200032']).toEqual({ vr: 'DS', Value: [-125, -125.5, 87] });
    expect(dataset['00280010']).toEqual({ vr: 'US', Value: [64] });
    expect(dataset['00209165']).toEqual({ vr: 'AT', Value: ['00100010'] });
    expect(dataset['00080018']).toEqual({ vr: 'UI', Value: ['2.25.1001'] });
    expect(Object.keys(dataset).some((k) => k.startsWith('0002'))).toBe(false);
  });

  it('replaces Pixel Data by a BulkDataURI whose offset and length slice the original bytes', () => {
    const bytes = buildPart10(ct());
    const parsed = parsePart10(bytes);
    expect(parsed.dataset['7FE00010']).toEqual({ vr: 'OW', BulkDataURI: 'bulk:7FE00010' });
    const range = parsed.bulk.get('7FE00010')!;
    expect(bytes.subarray(range.offset, range.offset + range.length)).toEqual(pixels);
    expect(readBulkValue(bytes, '7FE00010')).toEqual(pixels);
  });

  it('inlines binary values up to 1 KiB and makes larger ones bulk data, by path inside sequences', () => {
    const big = new Uint8Array(1500).fill(7);
    const bytes = buildPart10(
      ct([
        { tag: 0x00091010, vr: 'LO', value: 'ACME' },
        { tag: 0x00091011, vr: 'OB', value: Uint8Array.of(1, 2, 3, 4) },
        {
          tag: 0x00540016,
          vr: 'SQ',
          undefinedLength: true,
          value: [
            [{ tag: 0x00181072, vr: 'TM', value: '120000' }],
            [{ tag: 0x00091012, vr: 'OB', value: big }],
          ],
        },
      ]),
    );
    const parsed = parsePart10(bytes);
    expect(parsed.dataset['00091011']).toEqual({ vr: 'OB', InlineBinary: 'AQIDBA==' });
    expect(parsed.dataset['00540016']).toEqual({
      vr: 'SQ',
      Value: [
        { '00181072': { vr: 'TM', Value: ['120000'] } },
        { '00091012': { vr: 'OB', BulkDataURI: 'bulk:00540016.1.00091012' } },
      ],
    });
    const range = parsed.bulk.get('00540016.1.00091012')!;
    expect(bytes.subarray(range.offset, range.offset + range.length)).toEqual(big);
  });

  it('gives the whole encapsulated Pixel Data value (offset table and fragments) as one bulk range', () => {
    const frames = [Uint8Array.of(0xff, 0xd8, 1, 2), Uint8Array.of(0xff, 0xd8, 3, 4, 5, 6)];
    const bytes = buildPart10(
      ct([{ tag: 0x7fe00010, vr: 'OB', value: frames as unknown as number[], undefinedLength: true }]),
      {
        transferSyntaxUid: '1.2.840.10008.1.2.4.50',
      },
    );
    const parsed = parsePart10(bytes);
    const range = parsed.bulk.get('7FE00010')!;
    const value = bytes.subarray(range.offset, range.offset + range.length);
    // empty Basic Offset Table item + two fragment items, without the Sequence Delimitation Item
    expect(range.length).toBe(8 + 8 + 4 + 8 + 6);
    expect([...value.subarray(0, 4)]).toEqual([0xfe, 0xff, 0x00, 0xe0]);
    expect(range.offset + range.length).toBe(bytes.length - 8);
  });

  it('reads implicit VR little endian and explicit VR big endian', () => {
    for (const [ts, opts] of [
      ['1.2.840.10008.1.2', { explicitVr: false }],
      ['1.2.840.10008.1.2.2', { littleEndian: false }],
    ] as const) {
      const parsed = parsePart10(buildPart10(ct(), { transferSyntaxUid: ts, ...opts }));
      expect(parsed.transferSyntaxUid).toBe(ts);
      expect(parsed.dataset['00280010']).toEqual({ vr: 'US', Value: [64] });
      expect(parsed.dataset['00200032']).toEqual({ vr: 'DS', Value: [-125, -125.5, 87] });
      expect(parsed.patient.name).toEqual({ alphabetic: 'Wang^Xiaoming' });
    }
  });

  it('reads an implicit VR dataset mislabelled as explicit VR little endian', () => {
    const meta = buildPart10([], { transferSyntaxUid: EXPLICIT_LE, sopInstanceUid: '2.25.1001' });
    const bytes = concat([meta, encodeDataset(ct(), { explicitVr: false })]);
    expect(parsePart10(bytes).dataset['00280011']).toEqual({ vr: 'US', Value: [32] });
  });

  it('reads standard tags sent as UN with their dictionary VR (PS3.5 §6.2.2)', () => {
    const elements = ct().map((e) => (e.tag === 0x00200013 || e.tag === 0x00080018 ? { ...e, vr: 'UN' } : e));
    const parsed = parsePart10(buildPart10(elements));
    expect(parsed.sopInstanceUid).toBe('2.25.1001');
    expect(parsed.dataset['00200013']).toEqual({ vr: 'IS', Value: [7] });
  });

  it('inflates the deflated syntax and still serves its bulk data', () => {
    const meta = buildPart10([], {
      transferSyntaxUid: '1.2.840.10008.1.2.1.99',
      sopInstanceUid: '2.25.1001',
    });
    const bytes = concat([meta, deflateRawSync(encodeDataset(ct()))]);
    const parsed = parsePart10(bytes);
    expect(parsed.patient.id).toBe('MRN-1');
    expect(parsed.dataset['7FE00010']).toEqual({ vr: 'OW', BulkDataURI: 'bulk:7FE00010' });
    expect(parsed.bulk.size).toBe(0); // no offsets in the stored (compressed) bytes
    expect(readBulkValue(bytes, '7FE00010')).toEqual(pixels);
  });

  it('reports Number of Frames, and 0 for an instance without pixels', () => {
    expect(parsePart10(buildPart10(ct([{ tag: 0x00280008, vr: 'IS', value: '12' }]))).numberOfFrames).toBe(
      12,
    );
    const sr = instanceElements([{ tag: 0x0040a040, vr: 'CS', value: 'CONTAINER' }], {
      sopClass: '1.2.840.10008.5.1.4.1.1.88.11',
    });
    expect(parsePart10(buildPart10(sr)).numberOfFrames).toBe(0);
  });

  it('refuses a DICOMDIR and an unknown transfer syntax as unsupported, listing the supported ones', () => {
    const dir = buildPart10([{ tag: 0x00041130, vr: 'CS', value: 'X' }], {
      sopClassUid: '1.2.840.10008.1.3.10',
      sopInstanceUid: '2.25.5',
    });
    expectAppError(() => parsePart10(dir), 'unsupported', /DICOMDIR/);
    expectAppError(
      () => parsePart10(buildPart10(ct(), { transferSyntaxUid: '1.2.840.10008.1.2.4.100' })),
      'unsupported',
      /1\.2\.840\.10008\.1\.2\.4\.100 is not supported; supported: implicit VR little endian.*JPEG 2000, HTJ2K, RLE/,
    );
  });

  it('refuses an input over maxBytes before reading it', () => {
    expectAppError(
      () => parsePart10(buildPart10(ct()), { maxBytes: 1000 }),
      'too-large',
      /over the 1000-byte limit/,
    );
  });

  it('keeps a string with backslash-free single-valued VRs whole and empty values as null', () => {
    const parsed = parsePart10(
      buildPart10(
        ct([
          { tag: 0x00081030, vr: 'LO', value: 'A\\\\B' },
          { tag: 0x00204000, vr: 'LT', value: '  indented \\ text  ' },
        ]),
      ),
    );
    expect(parsed.dataset['00081030']).toEqual({ vr: 'LO', Value: ['A', null, 'B'] });
    expect(parsed.dataset['00204000']).toEqual({ vr: 'LT', Value: ['  indented \\ text'] });
    expect(ascii('x')).toEqual(Uint8Array.of(0x78));
  });
});
