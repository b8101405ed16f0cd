import { createRequire } from 'node:module';
import { AppError } from '@yiyun/fhir';

/**
 * The PS3.6 data dictionary as dcmjs ships it (dcmjs has no type declarations). Loaded synchronously
 * with `require` so that parsing stays a synchronous, pure function; the shape is checked once.
 * dcmjs' dictionary resolves repeating groups (60xx, 50xx) itself. Its special VR codes: `ox` (OB or OW),
 * `xs` (US or SS), `lt` (US or OW), `up` (UL), `na` (items).
 */
export interface DictionaryEntry {
  readonly vr: string;
  readonly keyword: string;
}

interface RawEntry {
  readonly tag: string;
  readonly vr: string;
  readonly name: string;
}

interface DcmjsDictionary {
  readonly dictionary: Readonly<Record<string, RawEntry | undefined>>;
  readonly nameMap: Readonly<Record<string, RawEntry | undefined>>;
}

function isRawEntry(value: unknown): value is RawEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['tag'] === 'string' && typeof v['vr'] === 'string' && typeof v['name'] === 'string';
}

function loadDictionary(): DcmjsDictionary {
  const mod: unknown = createRequire(import.meta.url)('dcmjs');
  const data = (mod as { data?: { DicomMetaDictionary?: unknown } } | null)?.data;
  const dict = data?.DicomMetaDictionary as Partial<DcmjsDictionary> | undefined;
  if (typeof dict?.dictionary !== 'object' || typeof dict.nameMap !== 'object') {
    throw new AppError('internal', 'dcmjs did not load as expected (no DicomMetaDictionary)');
  }
  if (!isRawEntry(dict.dictionary['(0010,0010)']) || !isRawEntry(dict.nameMap['PatientName'])) {
    throw new AppError('internal', 'dcmjs dictionary has an unexpected shape');
  }
  return dict as DcmjsDictionary;
}

// The library's immutable dictionary, plus a memo of successful lookups by numeric tag: a pure
// function's cache, bounded by the dictionary's size (misses are not memoised, so hostile input with
// many unknown tags cannot grow it).
const DCMJS = loadDictionary();
const byTag = new Map<number, DictionaryEntry>();

/** `(GGGG,EEEE)` with upper-case hex, the key dcmjs uses. */
function dcmjsKey(tag: number): string {
  const hex = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

/** The dictionary entry of a standard tag (private tags have none). */
export function dictionaryEntry(tag: number): DictionaryEntry | undefined {
  const memo = byTag.get(tag);
  if (memo !== undefined) return memo;
  const raw = DCMJS.dictionary[dcmjsKey(tag)];
  if (!isRawEntry(raw)) return undefined;
  const entry = { vr: raw.vr, keyword: raw.name };
  byTag.set(tag, entry);
  return entry;
}

/** The tag of a PS3.6 keyword (`PatientName` → 0x00100010), if dcmjs knows it. */
export function tagOfDictionaryKeyword(keyword: string): number | undefined {
  const raw = Object.hasOwn(DCMJS.nameMap, keyword) ? DCMJS.nameMap[keyword] : undefined;
  if (!isRawEntry(raw)) return undefined;
  const match = /^\(([0-9A-F]{4}),([0-9A-F]{4})\)$/i.exec(raw.tag);
  if (!match) return undefined;
  return Number.parseInt(`${match[1]}${match[2]}`, 16);
}
