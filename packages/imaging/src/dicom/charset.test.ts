import { describe, expect, it } from 'vitest';
import { charsetDecoder } from './charset.ts';
import { parsePart10 } from './parse.ts';
import { ascii, buildPart10, concat, instanceElements } from './part10-fixture.ts';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const ESC = 0x1b;
// 王^小明 in GB18030/GBK
const WANG_XIAOMING_GB = bytes(0xcd, 0xf5, 0x5e, 0xd0, 0xa1, 0xc3, 0xf7);
// 朱^镕基: 镕 (E9 46) has an ASCII-range trail byte, outside GB 2312
const ZHU_RONGJI_GB = bytes(0xd6, 0xec, 0x5e, 0xe9, 0x46, 0xbb, 0xf9);

function decode(values: string[], b: Uint8Array, isPersonName = true): string {
  return charsetDecoder(values)(b, isPersonName);
}

describe('charsetDecoder', () => {
  it('decodes declared GB18030 and GBK, including a trail byte equal to backslash', () => {
    expect(decode(['GB18030'], WANG_XIAOMING_GB)).toBe('王^小明');
    expect(decode(['GBK'], ZHU_RONGJI_GB)).toBe('朱^镕基');
    // 乗 is 81 5C: the second byte is `\`, so values are split only after decoding
    expect(decode(['GB18030'], bytes(0x81, 0x5c))).toBe('乗');
    // a four-byte GB18030 character (U+20000)
    expect(decode(['GB18030'], bytes(0x95, 0x32, 0x82, 0x36))).toBe('𠀀');
  });

  it('decodes ISO_IR 192 (UTF-8)', () => {
    expect(decode(['ISO_IR 192'], new TextEncoder().encode('Wang^Xiaoming=王^小明='))).toBe(
      'Wang^Xiaoming=王^小明=',
    );
  });

  it('decodes ISO 2022 IR 58 (GB 2312 designated to G1) as in PS3.5 Annex K', () => {
    // Zhang^XiaoDong=张^小东=
    const value = concat([
      ascii('Zhang^XiaoDong='),
      bytes(ESC, 0x24, 0x29, 0x41, 0xd5, 0xc5, 0x5e, ESC, 0x24, 0x29, 0x41, 0xd0, 0xa1, 0xb6, 0xab, 0x3d),
    ]);
    expect(decode(['', 'ISO 2022 IR 58'], value)).toBe('Zhang^XiaoDong=张^小东=');
  });

  it('decodes Japanese ISO 2022 IR 87 and Korean ISO 2022 IR 149 (PS3.5 Annexes H and I)', () => {
    const yamada = concat([
      ascii('Yamada^Tarou='),
      bytes(ESC, 0x24, 0x42, 0x3b, 0x33, 0x45, 0x44, ESC, 0x28, 0x42, 0x5e),
      bytes(ESC, 0x24, 0x42, 0x42, 0x40, 0x4f, 0x3a, ESC, 0x28, 0x42),
    ]);
    expect(decode(['', 'ISO 2022 IR 87'], yamada)).toBe('Yamada^Tarou=山田^太郎');
    const hong = concat([
      ascii('Hong^Gildong='),
      bytes(ESC, 0x24, 0x29, 0x43, 0xc8, 0xab, 0x5e, ESC, 0x24, 0x29, 0x43, 0xb1, 0xe6, 0xb5, 0xbf),
    ]);
    expect(decode(['', 'ISO 2022 IR 149'], hong)).toBe('Hong^Gildong=홍^길동');
  });

  it('reads GBK sent undeclared or as ISO_IR 100 (common in China) but keeps real Latin-1 text', () => {
    expect(decode([], WANG_XIAOMING_GB)).toBe('王^小明');
    expect(decode(['ISO_IR 100'], WANG_XIAOMING_GB)).toBe('王^小明');
    expect(decode(['ISO_IR 100'], ZHU_RONGJI_GB)).toBe('朱^镕基');
    expect(
      decode(['ISO_IR 100'], bytes(0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x5e, 0x4a, 0x6f, 0x73, 0xe9)),
    ).toBe('Müller^José');
    expect(decode([], new TextEncoder().encode('李^雷'))).toBe('李^雷');
  });

  it('decodes other single-byte sets as declared', () => {
    expect(decode(['ISO_IR 144'], bytes(0xbb, 0xee, 0xd1, 0xd0))).toBe('Люба');
    expect(decode(['ISO_IR 126'], bytes(0xc4, 0xe9, 0xef, 0xed))).toBe('Διον');
  });
});

describe('Chinese patient names through parsePart10', () => {
  const withName = (charset: string[], name: Uint8Array): Uint8Array =>
    buildPart10(
      instanceElements([
        ...(charset.length > 0 ? [{ tag: 0x00080005, vr: 'CS', value: charset.join('\\') }] : []),
        { tag: 0x00100010, vr: 'PN', value: name },
        { tag: 0x00100020, vr: 'LO', value: 'MRN-9' },
      ]),
    );

  it('reads a GB18030 alphabetic=ideographic name', () => {
    const name = concat([ascii('Wang^Xiaoming='), WANG_XIAOMING_GB]);
    const parsed = parsePart10(withName(['GB18030'], name));
    expect(parsed.patient.name).toEqual({ alphabetic: 'Wang^Xiaoming', ideographic: '王^小明' });
    expect(parsed.dataset['00100010']).toEqual({
      vr: 'PN',
      Value: [{ Alphabetic: 'Wang^Xiaoming', Ideographic: '王^小明' }],
    });
  });

  it('reads a UTF-8 name with all three component groups', () => {
    const name = new TextEncoder().encode('Zhang^San=张^三=zhāng^sān');
    const parsed = parsePart10(withName(['ISO_IR 192'], name));
    expect(parsed.patient.name).toEqual({
      alphabetic: 'Zhang^San',
      ideographic: '张^三',
      phonetic: 'zhāng^sān',
    });
  });

  it('reads an ISO 2022 IR 58 name', () => {
    const name = concat([
      ascii('Zhang^XiaoDong='),
      bytes(ESC, 0x24, 0x29, 0x41, 0xd5, 0xc5, 0x5e, ESC, 0x24, 0x29, 0x41, 0xd0, 0xa1, 0xb6, 0xab),
    ]);
    expect(parsePart10(withName(['', 'ISO 2022 IR 58'], name)).patient.name?.ideographic).toBe('张^小东');
  });

  it('reads a GBK name declared as ISO_IR 100', () => {
    expect(parsePart10(withName(['ISO_IR 100'], WANG_XIAOMING_GB)).patient.name).toEqual({
      alphabetic: '王^小明',
    });
  });
});
