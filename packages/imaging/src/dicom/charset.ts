/**
 * Specific Character Set (0008,0005) decoding (PS3.3 §C.12.1.1.2, PS3.5 §6.1 and Annexes H–K).
 * `charsetDecoder(values)` returns a function decoding one SH/LO/ST/LT/UC/UT/PN value.
 *
 * De facto practice in China (not in the standard): many modalities send GBK/GB18030 bytes with no
 * (0008,0005) or with `ISO_IR 100`. For those two cases, a value whose bytes are valid UTF-8 is read as
 * UTF-8, and one whose non-ASCII bytes all come in pairs that decode as GB18030 is read as GB18030;
 * anything else as ISO 8859-1. Declared UTF-8 / GB18030 / GBK / ISO 2022 values are decoded as declared.
 */
export type CharsetDecoder = (bytes: Uint8Array, isPersonName: boolean) => string;

const decoders = new Map<string, TextDecoder>();
/** TextDecoder is stateless when not streaming, so one per label can be shared. */
function textDecoder(label: string, fatal = false): TextDecoder {
  const key = fatal ? `${label}!` : label;
  let d = decoders.get(key);
  if (!d) {
    d = new TextDecoder(label, { fatal });
    decoders.set(key, d);
  }
  return d;
}

/** Single-byte and non-ISO-2022 character sets: defined term → WHATWG encoding label. */
const PLAIN: Readonly<Record<string, string>> = {
  'ISO_IR 6': 'ascii',
  'ISO_IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'windows-1254',
  'ISO_IR 203': 'iso-8859-15',
  'ISO_IR 13': 'shift_jis',
  'ISO_IR 166': 'windows-874',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** G1 (GR, bytes ≥ 0x80) sets of the ISO 2022 terms, by defined term (PS3.3 Table C.12-3/C.12-4). */
const ISO2022_G1: Readonly<Record<string, string | null>> = {
  'ISO 2022 IR 6': null,
  'ISO 2022 IR 100': 'latin1',
  'ISO 2022 IR 101': 'iso-8859-2',
  'ISO 2022 IR 109': 'iso-8859-3',
  'ISO 2022 IR 110': 'iso-8859-4',
  'ISO 2022 IR 144': 'iso-8859-5',
  'ISO 2022 IR 127': 'iso-8859-6',
  'ISO 2022 IR 126': 'iso-8859-7',
  'ISO 2022 IR 138': 'iso-8859-8',
  'ISO 2022 IR 148': 'windows-1254',
  'ISO 2022 IR 203': 'iso-8859-15',
  'ISO 2022 IR 13': 'shift_jis',
  'ISO 2022 IR 166': 'windows-874',
  'ISO 2022 IR 149': 'euc-kr',
  'ISO 2022 IR 58': 'gb18030',
  'ISO 2022 IR 87': null,
  'ISO 2022 IR 159': null,
};

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/** Latin-1 / ASCII without a TextDecoder call for short values (most values are short). */
export function decodeLatin1(bytes: Uint8Array): string {
  if (bytes.length > 256) return textDecoder('latin1').decode(bytes);
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/**
 * Whether undeclared non-ASCII bytes read better as GBK/GB18030 than as Latin-1. Every byte ≥ 0x81 must
 * start a well-formed GB18030 character (lead 81–FE, trail 40–7E or 80–FE, or a four-byte sequence), and
 * most two-byte characters must have a trail ≥ 0x80: Latin-1 text ("Müller" = 4D FC 6C …) pairs an
 * accented letter with an ASCII letter, while nearly all characters used in Chinese names (GB 2312) have
 * both bytes ≥ 0xA1.
 */
function looksLikeGb(bytes: Uint8Array): boolean {
  let high = 0;
  let low = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    if (b === 0x80 || b === 0xff || i + 1 >= bytes.length) return false;
    const t = bytes[i + 1]!;
    if (t >= 0x30 && t <= 0x39 && i + 3 < bytes.length) {
      const [b3, b4] = [bytes[i + 2]!, bytes[i + 3]!];
      if (b3 < 0x81 || b3 === 0xff || b4 < 0x30 || b4 > 0x39) return false;
      high++;
      i += 3;
    } else if (t >= 0x80 && t !== 0xff) {
      high++;
      i++;
    } else if (t >= 0x40 && t !== 0x7f) {
      low++;
      i++;
    } else {
      return false;
    }
  }
  return high > 0 && high >= low;
}

function decodeUndeclared(bytes: Uint8Array): string {
  if (isAscii(bytes)) return decodeLatin1(bytes);
  try {
    return textDecoder('utf-8', true).decode(bytes);
  } catch {
    // not UTF-8: fall through
  }
  if (looksLikeGb(bytes)) {
    try {
      return textDecoder('gb18030', true).decode(bytes);
    } catch {
      // not GB18030 either
    }
  }
  return decodeLatin1(bytes);
}

function plainDecoder(label: string): CharsetDecoder {
  return (bytes) => (isAscii(bytes) ? decodeLatin1(bytes) : textDecoder(label).decode(bytes));
}

/** The decoder for the values of (0008,0005) (trimmed; the first may be empty). */
export function charsetDecoder(values: readonly string[]): CharsetDecoder {
  const first = values[0] ?? '';
  const extended = values.length > 1 || first.startsWith('ISO 2022');
  if (!extended) {
    if (first === '' || first === 'ISO_IR 6' || first === 'ISO_IR 100') return decodeUndeclared;
    const label = PLAIN[first];
    // An unknown term: store anyway, read text the lenient way (documented in dicom-conformance.md).
    return label ? plainDecoder(label) : decodeUndeclared;
  }
  // PS3.5 §6.1.2.5.3: GB18030/GBK/UTF-8 allow no code extensions; any further values are ignored.
  const plain = PLAIN[first];
  if (plain === 'utf-8' || plain === 'gb18030' || plain === 'gbk') return plainDecoder(plain);
  return iso2022Decoder(first);
}

interface Iso2022State {
  g0: 'ascii' | 'jisx0208' | 'jisx0212';
  g1: string | null;
}

/** Escape sequences (PS3.3 Table C.12-4) → the set they designate. */
const ESCAPES: readonly {
  readonly seq: readonly number[];
  readonly g0?: Iso2022State['g0'];
  readonly g1?: string;
}[] = [
  { seq: [0x28, 0x42], g0: 'ascii' }, // ESC ( B
  { seq: [0x28, 0x4a], g0: 'ascii' }, // ESC ( J  JIS X 0201 romaji: ASCII but ¥ and ‾
  { seq: [0x24, 0x42], g0: 'jisx0208' }, // ESC $ B
  { seq: [0x24, 0x28, 0x44], g0: 'jisx0212' }, // ESC $ ( D
  { seq: [0x29, 0x49], g1: 'shift_jis' }, // ESC ) I  JIS X 0201 katakana
  { seq: [0x24, 0x29, 0x43], g1: 'euc-kr' }, // ESC $ ) C  KS X 1001
  { seq: [0x24, 0x29, 0x41], g1: 'gb18030' }, // ESC $ ) A  GB 2312
  { seq: [0x2d, 0x41], g1: 'latin1' },
  { seq: [0x2d, 0x42], g1: 'iso-8859-2' },
  { seq: [0x2d, 0x43], g1: 'iso-8859-3' },
  { seq: [0x2d, 0x44], g1: 'iso-8859-4' },
  { seq: [0x2d, 0x4c], g1: 'iso-8859-5' },
  { seq: [0x2d, 0x47], g1: 'iso-8859-6' },
  { seq: [0x2d, 0x46], g1: 'iso-8859-7' },
  { seq: [0x2d, 0x48], g1: 'iso-8859-8' },
  { seq: [0x2d, 0x4d], g1: 'windows-1254' },
  { seq: [0x2d, 0x54], g1: 'windows-874' },
  { seq: [0x2d, 0x62], g1: 'iso-8859-15' },
];

function matchEscape(bytes: Uint8Array, at: number): (typeof ESCAPES)[number] | undefined {
  return ESCAPES.find((e) => e.seq.every((b, i) => bytes[at + i] === b));
}

/** Delimiters that switch back to the initial sets (PS3.5 §6.1.2.5.3). */
function isResetDelimiter(b: number, isPersonName: boolean): boolean {
  return (
    b === 0x0a ||
    b === 0x0c ||
    b === 0x0d ||
    b === 0x09 ||
    b === 0x5c ||
    (isPersonName && (b === 0x5e || b === 0x3d))
  );
}

function iso2022Decoder(first: string): CharsetDecoder {
  const initial: Iso2022State = {
    g0: 'ascii',
    // the first value's set is the initial G1; an ISO_IR term there (non-standard) is taken as is
    g1: Object.hasOwn(ISO2022_G1, first) ? (ISO2022_G1[first] ?? null) : (PLAIN[first] ?? null),
  };
  return (bytes, isPersonName) => {
    if (isAscii(bytes) && !bytes.includes(0x1b)) return decodeLatin1(bytes);
    const state: Iso2022State = { ...initial };
    const out: string[] = [];
    let run: number[] = [];
    let runLabel = '';
    const emit = (label: string, ...bs: number[]): void => {
      if (label !== runLabel && run.length > 0) out.push(decodeRun(runLabel, run));
      if (label !== runLabel) run = [];
      runLabel = label;
      run.push(...bs);
    };
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === 0x1b) {
        const esc = matchEscape(bytes, i + 1);
        if (esc) {
          if (esc.g0) state.g0 = esc.g0;
          if (esc.g1) state.g1 = esc.g1;
          i += esc.seq.length;
        }
        continue;
      }
      if (b < 0x80 && state.g0 !== 'ascii' && b > 0x20 && i + 1 < bytes.length) {
        // JIS X 0208/0212 in G0: two 7-bit bytes; EUC-JP is the same code with the high bits set.
        const pair = [b | 0x80, bytes[++i]! | 0x80];
        emit('euc-jp', ...(state.g0 === 'jisx0212' ? [0x8f, ...pair] : pair));
      } else if (b < 0x80) {
        emit('ascii', b);
        if (isResetDelimiter(b, isPersonName)) Object.assign(state, initial);
      } else {
        emit(state.g1 ?? 'latin1', b);
      }
    }
    if (run.length > 0) out.push(decodeRun(runLabel, run));
    return out.join('');
  };
}

function decodeRun(label: string, run: number[]): string {
  const bytes = Uint8Array.from(run);
  return label === 'ascii' ? decodeLatin1(bytes) : textDecoder(label).decode(bytes);
}
