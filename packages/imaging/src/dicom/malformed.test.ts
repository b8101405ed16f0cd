import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { parsePart10 } from './parse.ts';
import {
  ascii,
  buildPart10,
  concat,
  encodeDataset,
  type FixtureElement,
  instanceElements,
} from './part10-fixture.ts';
import { requirePydicomTestFiles } from './pydicom-files.ts';

/** Runs the parser and returns the AppError it throws; any other outcome fails the test. */
function refusal(bytes: Uint8Array, options?: Parameters<typeof parsePart10>[1]): AppError {
  try {
    parsePart10(bytes, options);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw new Error(`expected an AppError, got ${String(err)}`);
  }
  throw new Error('expected the input to be refused, but it parsed');
}

function real(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(requirePydicomTestFiles(), name)));
}

function bestOfThree(fn: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    fn();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** A 525 KB CT instance like the benchmark's (512 × 512 × 16 bit). */
function bigCt(): Uint8Array {
  return buildPart10(
    instanceElements([
      { tag: 0x00080060, vr: 'CS', value: 'CT' },
      { tag: 0x00100010, vr: 'PN', value: 'Wang^Xiaoming' },
      { tag: 0x00280010, vr: 'US', value: [512] },
      { tag: 0x00280011, vr: 'US', value: [512] },
      { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array(512 * 512 * 2) },
    ]),
  );
}

const small = (extra: FixtureElement[] = [], options = {}): Uint8Array =>
  buildPart10(instanceElements([{ tag: 0x00100020, vr: 'LO', value: 'MRN-1' }, ...extra]), options);

describe('truncated input', () => {
  const cases: [string, () => Uint8Array][] = [
    ['CT_small.dcm', () => real('CT_small.dcm')],
    ['MR_small_jp2klossless.dcm (encapsulated)', () => real('MR_small_jp2klossless.dcm')],
    ['MR_small_implicit.dcm (implicit VR)', () => real('MR_small_implicit.dcm')],
    ['test-SR.dcm (nested sequences)', () => real('test-SR.dcm')],
    ['waveform_ecg.dcm (sequences with bulk data)', () => real('waveform_ecg.dcm')],
    ['a 525 KB CT', bigCt],
  ];
  for (const [name, load] of cases) {
    it(`refuses ${name} cut every 997 bytes as invalid, each in under 50 ms`, () => {
      const bytes = load();
      expect(() => parsePart10(bytes)).not.toThrow();
      let cuts = 0;
      for (let at = 0; at < bytes.length; at += 997) {
        const err = refusal(bytes.subarray(0, at));
        // the best of three runs measures the parse, not a GC pause or a busy machine
        expect(bestOfThree(() => refusal(bytes.subarray(0, at)))).toBeLessThan(50);
        expect(err.code).toBe('invalid');
        // a cut on an element boundary is well-formed but lacks what follows, such as the UIDs
        expect(err.message).toMatch(/truncated|not a DICOM Part 10 file|File Meta|past the end|missing/);
        cuts++;
      }
      expect(cuts).toBeGreaterThan(2);
    });
  }
});

describe('malformed input', () => {
  it('refuses input without the preamble and DICM prefix', () => {
    const ok = small();
    const noPrefix = ok.slice();
    noPrefix.set(ascii('DICN'), 128);
    for (const bytes of [
      new Uint8Array(0),
      ok.subarray(0, 131),
      noPrefix,
      ok.subarray(128),
      ascii('{"resourceType":"Patient"}'),
    ]) {
      const err = refusal(bytes);
      expect(err.code).toBe('invalid');
      expect(err.message).toMatch(/^not a DICOM Part 10 file: no DICM prefix at byte 128/);
    }
  });

  it('refuses element lengths past the end, including a 4 GB length, without allocating', () => {
    const lo = refusal(small([{ tag: 0x00081030, vr: 'LO', value: 'CT HEAD', lengthOverride: 0x7000 }]));
    expect(lo.message).toMatch(
      /element \(0008,1030\) at byte \d+ declares a value of 28672 bytes but only \d+ remain/,
    );
    const started = performance.now();
    const huge = refusal(
      small([{ tag: 0x00091010, vr: 'OB', value: Uint8Array.of(1, 2), lengthOverride: 0xfffffff0 }]),
    );
    expect(huge.message).toMatch(/declares a value of 4294967280 bytes/);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('refuses undefined lengths where the VR does not allow them', () => {
    const err = refusal(small([{ tag: 0x00204000, vr: 'UT', value: 'x', lengthOverride: 0xffffffff }]));
    expect(err.message).toMatch(/\(0020,4000\) .* undefined length, which UT does not allow/);
    const native = refusal(
      small([
        {
          tag: 0x7fe00010,
          vr: 'OB',
          value: [Uint8Array.of(1, 2)] as unknown as number[],
          undefinedLength: true,
        },
      ]),
    );
    expect(native.message).toMatch(/\(7FE0,0010\) .* undefined length/);
  });

  it('refuses sequences whose items overrun them or lack delimiters', () => {
    const item = [{ tag: 0x00181072, vr: 'TM', value: '120000' }];
    const overrun = refusal(small([{ tag: 0x00540016, vr: 'SQ', value: [item], lengthOverride: 10 }]));
    expect(overrun.message).toMatch(/past the end|truncated/);
    const noDelimiter = small([{ tag: 0x00540016, vr: 'SQ', value: [item], undefinedLength: true }]).slice(
      0,
      -8,
    );
    expect(refusal(noDelimiter).message).toMatch(/truncated: sequence \(0054,0016\)/);
  });

  it('refuses huge element counts as too-large, quickly', () => {
    const count = 300_000;
    const body = new Uint8Array(count * 8);
    const view = new DataView(body.buffer);
    for (let i = 0; i < count; i++) {
      view.setUint16(i * 8, 0x0009 + 2 * Math.floor(i / 0xf000), true);
      view.setUint16(i * 8 + 2, 0x1000 + (i % 0xf000), true);
      body.set(ascii('LO'), i * 8 + 4);
    }
    const bytes = concat([small(), body]);
    const started = performance.now();
    const err = refusal(bytes);
    expect(err.code).toBe('too-large');
    expect(err.message).toMatch(/more than 250000 data elements/);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(refusal(small(), { maxElements: 3 }).code).toBe('too-large');
  });

  it('refuses sequences nested deeper than the limit', () => {
    let nested: FixtureElement[] = [{ tag: 0x00081030, vr: 'LO', value: 'leaf' }];
    for (let i = 0; i < 100; i++) nested = [{ tag: 0x00081115, vr: 'SQ', value: [nested] }];
    expect(refusal(small(nested)).message).toMatch(/nested deeper than 64 levels/);
  });

  it('refuses a File Meta group length that lies, or that is not UL of 4 bytes', () => {
    const long = refusal(small([], { groupLengthOverride: 400 }));
    expect(long.message).toMatch(/File Meta group length 400 (is wrong|runs past)/);
    expect(refusal(small([], { groupLengthOverride: 30 })).message).toMatch(
      /File Meta group length 30 is wrong/,
    );
    expect(refusal(small([], { groupLengthOverride: 0xfffffff0 })).message).toMatch(/runs past the end/);
    const ok = small();
    const asUs = ok.slice();
    asUs.set(ascii('US'), 136);
    expect(refusal(asUs).message).toMatch(/Group Length \(0002,0000\) is malformed/);
  });

  it('refuses an undefined length in the File Meta group and a dataset the syntax cannot be told of', () => {
    const ok = small();
    const noGroupLength = concat([ok.subarray(0, 132), ok.subarray(144)]);
    const undefinedLength = noGroupLength.slice();
    // (0002,0001) OB: reserved 2 bytes, then the 4-byte length at 140
    new DataView(undefinedLength.buffer).setUint32(140, 0xffffffff, true);
    expect(refusal(undefinedLength).message).toMatch(/\(0002,0001\) at byte 132 has an undefined length/);
    const meta = [{ tag: 0x00020003, vr: 'UI', value: '2.25.1001' }];
    const metaOnly = buildPart10([], { meta });
    expect(refusal(metaOnly).message).toBe('missing dataset: nothing follows the File Meta Information');
    // implicit VR big endian: no transfer syntax defines it
    const implicitBig = concat([
      metaOnly,
      encodeDataset(instanceElements([]), { explicitVr: false, littleEndian: false }),
    ]);
    expect(refusal(implicitBig).message).toMatch(
      /no Transfer Syntax UID \(0002,0010\) and the dataset .* no encoding/,
    );
  });

  it('refuses missing and malformed SOP, study and series UIDs', () => {
    const without = (tag: number): Uint8Array =>
      buildPart10(
        instanceElements([]).filter((e) => e.tag !== tag),
        { sopInstanceUid: '2.25.1001' },
      );
    const noClassAnywhere = buildPart10(
      instanceElements([]).filter((e) => e.tag !== 0x00080016),
      {
        meta: [
          { tag: 0x00020003, vr: 'UI', value: '2.25.1001' },
          { tag: 0x00020010, vr: 'UI', value: '1.2.840.10008.1.2.1' },
        ],
      },
    );
    expect(refusal(noClassAnywhere).message).toBe('missing SOP Class UID (0008,0016)');
    expect(refusal(without(0x00080018)).message).toBe('missing SOP Instance UID (0008,0018)');
    expect(refusal(without(0x0020000d)).message).toBe('missing Study Instance UID (0020,000D)');
    expect(refusal(without(0x0020000e)).message).toBe('missing Series Instance UID (0020,000E)');
    const onlySop = buildPart10(instanceElements([]).filter((e) => e.tag >>> 16 !== 0x0020));
    expect(refusal(onlySop).message).toBe(
      'missing Study Instance UID (0020,000D), Series Instance UID (0020,000E)',
    );
    const bad = (uids: Record<string, string>): string =>
      refusal(buildPart10(instanceElements([], uids), { sopInstanceUid: uids['sop'] ?? '2.25.1001' }))
        .message;
    expect(bad({ sop: '1.02.3' })).toMatch(
      /SOP Instance UID \(0008,0018\) "1\.02\.3" is not a valid UID: .*leading zero/,
    );
    expect(bad({ study: '1.2.abc' })).toMatch(/Study Instance UID .* characters other than digits and dots/);
    expect(bad({ series: `1.${'2'.repeat(70)}` })).toMatch(
      /Series Instance UID .* 72 characters long \(at most 64\)/,
    );
  });

  it('refuses duplicate elements and item tags outside sequences', () => {
    const dup = concat([small(), encodeDataset([{ tag: 0x00100020, vr: 'LO', value: 'again' }])]);
    expect(refusal(dup).message).toMatch(/duplicate element \(0010,0020\)/);
    const stray = concat([small(), Uint8Array.of(0xfe, 0xff, 0x00, 0xe0, 0, 0, 0, 0)]);
    expect(refusal(stray).message).toMatch(/unexpected \(FFFE,E000\)/);
  });

  it('refuses malformed transfer syntax UIDs and broken or oversized deflate streams', () => {
    expect(refusal(small([], { transferSyntaxUid: '1.2.840.10008.1.2.01' })).message).toMatch(
      /Transfer Syntax UID \(0002,0010\) has .*leading zero/,
    );
    const deflated = (body: Uint8Array): Uint8Array =>
      concat([
        buildPart10([], { transferSyntaxUid: '1.2.840.10008.1.2.1.99', sopInstanceUid: '2.25.1001' }),
        body,
      ]);
    expect(refusal(deflated(Uint8Array.of(1, 2, 3, 4, 5))).message).toMatch(
      /deflated dataset does not inflate/,
    );
    const bomb = deflated(deflateRawSync(new Uint8Array(20_000_000)));
    expect(bomb.length).toBeLessThan(100_000);
    const err = refusal(bomb, { maxBytes: 1_000_000 });
    expect(err.code).toBe('too-large');
  });

  it('never throws anything but an AppError on randomly corrupted real files', () => {
    const original = real('CT_small.dcm');
    let seed = 6;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 300; round++) {
      const bytes = original.slice();
      for (let k = 0; k < 4; k++)
        bytes[132 + Math.floor(random() * (bytes.length - 132))] = Math.floor(random() * 256);
      try {
        parsePart10(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect(['invalid', 'unsupported', 'too-large']).toContain((err as AppError).code);
      }
    }
  });
});
