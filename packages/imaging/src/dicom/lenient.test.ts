import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { parsePart10 } from './parse.ts';
import {
  ascii,
  buildPart10,
  CT_IMAGE_STORAGE,
  concat,
  encodeDataset,
  type FixtureElement,
  instanceElements,
} from './part10-fixture.ts';
import { requirePydicomTestFiles } from './pydicom-files.ts';

/**
 * What real PACS (dcmtk storescp, Orthanc, dcm4chee) store although it deviates from PS3.10: the
 * instance is accepted with `warnings`, its UIDs come from the dataset, and bulk offsets point into
 * the bytes as received (which are stored unchanged).
 */
const pixels = Uint8Array.from({ length: 2048 }, (_, i) => (i * 7) % 256);
const elements = (extra: FixtureElement[] = []): FixtureElement[] =>
  instanceElements([
    { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 100' },
    { tag: 0x00100020, vr: 'LO', value: 'MRN-7' },
    { tag: 0x00280010, vr: 'US', value: [32] },
    { tag: 0x7fe00010, vr: 'OW', value: pixels },
    ...extra,
  ]);
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_BE = '1.2.840.10008.1.2.2';

function real(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(requirePydicomTestFiles(), name)));
}

function refusal(bytes: Uint8Array): AppError {
  try {
    parsePart10(bytes);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the input to be refused, but it parsed');
}

function pixelsOf(bytes: Uint8Array): Uint8Array | undefined {
  const range = parsePart10(bytes).bulk.get('7FE00010');
  return range && bytes.subarray(range.offset, range.offset + range.length);
}

describe('File Meta Information that real PACS tolerate', () => {
  it('uses the dataset UIDs when (0002,0002)/(0002,0003) differ, with a warning', () => {
    const parsed = parsePart10(
      buildPart10(elements(), { sopInstanceUid: '2.25.9', sopClassUid: '1.2.840.10008.5.1.4.1.1.4' }),
    );
    expect(parsed.sopInstanceUid).toBe('2.25.1001');
    expect(parsed.sopClassUid).toBe(CT_IMAGE_STORAGE);
    expect(parsed.warnings).toEqual([
      "Media Storage SOP Class UID (0002,0002) differs from SOP Class UID (0008,0016): the dataset's is used",
      "Media Storage SOP Instance UID (0002,0003) differs from SOP Instance UID (0008,0018): the dataset's is used",
    ]);
  });

  it('gives no warnings for a conformant instance', () => {
    expect(parsePart10(buildPart10(elements())).warnings).toBeUndefined();
  });

  it('reads a File Meta group without its group length (0002,0000) until the group changes', () => {
    const ok = buildPart10(elements());
    const bytes = concat([ok.subarray(0, 132), ok.subarray(144)]);
    const parsed = parsePart10(bytes);
    expect(parsed.transferSyntaxUid).toBe(EXPLICIT_LE);
    expect(parsed.warnings).toEqual(['File Meta Information has no group length (0002,0000)']);
    expect(pixelsOf(bytes)).toEqual(pixels);
  });

  it("uses the dataset's UIDs when the Media Storage UIDs are missing", () => {
    const meta = [{ tag: 0x00020010, vr: 'UI', value: IMPLICIT_LE }];
    const parsed = parsePart10(buildPart10(elements(), { meta, explicitVr: false }));
    expect(parsed.sopClassUid).toBe(CT_IMAGE_STORAGE);
    expect(parsed.warnings).toEqual([
      "File Meta Information has no Media Storage SOP Class UID (0002,0002): the dataset's is used",
      "File Meta Information has no Media Storage SOP Instance UID (0002,0003): the dataset's is used",
    ]);
  });

  it('uses (0002,0002) when the dataset has no SOP Class UID (0008,0016)', () => {
    const dataset = elements().filter((e) => e.tag !== 0x00080016);
    const parsed = parsePart10(buildPart10(dataset, { sopClassUid: '1.2.840.10008.5.1.4.1.1.7' }));
    expect(parsed.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.7');
    expect(parsed.warnings).toEqual([
      'the dataset has no SOP Class UID (0008,0016): the Media Storage SOP Class UID (0002,0002) is used',
    ]);
  });

  it('detects the transfer syntax from the first element when (0002,0010) is missing', () => {
    const meta = [
      { tag: 0x00020002, vr: 'UI', value: CT_IMAGE_STORAGE },
      { tag: 0x00020003, vr: 'UI', value: '2.25.1001' },
    ];
    for (const [uid, opts] of [
      [EXPLICIT_LE, {}],
      [IMPLICIT_LE, { explicitVr: false }],
      [EXPLICIT_BE, { littleEndian: false }],
    ] as const) {
      const bytes = buildPart10(elements(), { meta, ...opts });
      const parsed = parsePart10(bytes);
      expect(parsed.transferSyntaxUid).toBe(uid);
      expect(parsed.dataset['00280010']).toEqual({ vr: 'US', Value: [32] });
      expect(parsed.warnings?.[0]).toMatch(
        /^File Meta Information has no Transfer Syntax UID \(0002,0010\): read as /,
      );
      expect(pixelsOf(bytes)?.length).toBe(pixels.length);
    }
  });

  it('refuses a DICOMDIR whose File Meta lacks the Media Storage SOP Class UID too', () => {
    const dir = buildPart10(
      instanceElements([{ tag: 0x00041130, vr: 'CS', value: 'X' }], { sopClass: '1.2.840.10008.1.3.10' }),
      { meta: [{ tag: 0x00020010, vr: 'UI', value: EXPLICIT_LE }] },
    );
    const err = refusal(dir);
    expect(err.code).toBe('unsupported');
    expect(err.message).toMatch(/DICOMDIR\) is not an image or document: send the files it references/);
  });
});

describe('bare datasets (no preamble, DICM or File Meta)', () => {
  it('reads explicit and implicit VR little endian and explicit VR big endian, with bulk offsets into the input', () => {
    for (const [uid, opts] of [
      [EXPLICIT_LE, {}],
      [IMPLICIT_LE, { explicitVr: false }],
      [EXPLICIT_BE, { littleEndian: false }],
    ] as const) {
      const bytes = encodeDataset(elements(), opts);
      const parsed = parsePart10(bytes);
      expect(parsed.transferSyntaxUid).toBe(uid);
      expect(parsed.studyUid).toBe('2.25.2002');
      expect(parsed.warnings).toEqual([
        expect.stringMatching(
          /^no preamble, DICM prefix or File Meta Information: read as a bare dataset in /,
        ),
      ]);
      const range = parsed.bulk.get('7FE00010')!;
      expect(range.offset + range.length).toBe(bytes.length);
      expect(pixelsOf(bytes)).toEqual(pixels);
    }
  });

  it('accepts the legacy files of the pydicom corpus', () => {
    for (const [name, uid] of [
      ['ExplVR_LitEndNoMeta.dcm', EXPLICIT_LE],
      ['ExplVR_BigEndNoMeta.dcm', EXPLICIT_BE],
      ['rtstruct.dcm', IMPLICIT_LE],
    ] as const) {
      expect(parsePart10(real(name)).transferSyntaxUid, name).toBe(uid);
    }
  });

  it('refuses a bare dataset without the required UIDs, saying why it is neither Part 10 nor a dataset', () => {
    const noStudy = encodeDataset(elements().filter((e) => e.tag !== 0x0020000d));
    expect(refusal(noStudy).message).toBe(
      'not a DICOM Part 10 file: no DICM prefix at byte 128, and read as a bare dataset (Explicit VR Little ' +
        'Endian) it is not valid: missing Study Instance UID (0020,000D)',
    );
  });

  it('refuses every cut of a bare dataset inside a value or before a required UID', () => {
    const bytes = encodeDataset(elements(), { explicitVr: false });
    let refused = 0;
    for (let at = 1; at < bytes.length; at += 3) {
      try {
        const parsed = parsePart10(bytes.subarray(0, at));
        // Only a cut on an element boundary after the UIDs is a complete dataset, as it would be in a
        // Part 10 file; it never holds a partial value.
        expect(parsed.dataset['7FE00010'], `cut at ${at}`).toBeUndefined();
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        expect(err.code).toBe('invalid');
        expect(err.message).toMatch(/^not a DICOM Part 10 file: no DICM prefix at byte 128/);
        refused++;
      }
    }
    expect(refused).toBeGreaterThanOrEqual(Math.floor(bytes.length / 3) - 1);
  });

  it('does not take text, JSON, archives or a stray leading byte for a dataset', () => {
    const ok = encodeDataset(elements());
    for (const bytes of [
      ascii('(0008,0016) UI 1.2.840.10008.5.1.4.1.1.2'),
      ascii('{"00080016": {"vr": "UI"}}'),
      real('zipMR.gz'),
      real('no_meta.dcm'), // CT_small's dataset with one byte of its File Meta before it
      concat([Uint8Array.of(0x20), ok]),
      Uint8Array.of(0x08, 0x00, 0x16, 0x00, 0x55, 0x49, 0xff, 0x00), // a value longer than the input
      Uint8Array.of(0x10, 0x00, 0x10, 0x00, 0x50, 0x4e, 0x02, 0x00, 0x41, 0x20), // group 0010 first
    ]) {
      expect(refusal(bytes).message).toMatch(
        /^not a DICOM Part 10 file: no DICM prefix at byte 128.*does not begin like a bare dataset/,
      );
    }
  });
});
