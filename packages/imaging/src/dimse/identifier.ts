import { keywordOf, tagOf, vrOf } from '../dicom/index.ts';
import type { DicomJson, DicomJsonElement } from '../service/port.ts';

/**
 * C-FIND / C-MOVE / C-GET identifiers (PS3.4 §C.4) between dcmjs-dimse's "naturalized" datasets
 * (keyword → value, as dcmjs reads and writes them) and the tag-keyed terms of the imaging service.
 */
export interface IdentifierKey {
  /** `GGGGEEEE`, upper-case hex. */
  readonly tag: string;
  readonly vr: string;
  /** The matching value as sent (PS3.4 §C.2.2.2), or undefined for a return key (zero length). */
  readonly value: string | undefined;
}

function personNameText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return '';
  const pn = value as Record<string, unknown>;
  const groups = [pn['Alphabetic'], pn['Ideographic'], pn['Phonetic']].map((g) =>
    typeof g === 'string' ? g : '',
  );
  return groups.join('=').replace(/=+$/, '');
}

/** One naturalized value as the string a matching key carries: multiple values joined by `\`. */
function valueText(value: unknown, vr: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  if (vr === 'SQ' || values.some((v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v))) return undefined;
  const texts = values.map((v) => (vr === 'PN' ? personNameText(v) : String(v ?? '')).trim());
  const text = texts.join('\\');
  // A value of only `*` is universal matching, the same as a return key (PS3.4 §C.2.2.2.3).
  return text === '' || text === '*' ? undefined : text;
}

/** The keys of an identifier in the order received; group 0000 and `_vrMap` are not attributes. */
export function identifierKeys(elements: Readonly<Record<string, unknown>>): IdentifierKey[] {
  const keys: IdentifierKey[] = [];
  for (const [key, value] of Object.entries(elements)) {
    if (key.startsWith('_')) continue;
    // dcmjs names dictionary attributes by keyword and others by their hex tag.
    const tag = tagOf(key);
    if (!tag || tag.startsWith('0000')) continue;
    const vr = vrOf(tag) ?? 'UN';
    keys.push({ tag, vr, value: valueText(value, vr) });
  }
  return keys;
}

function naturalizedValue(element: DicomJsonElement | undefined, vr: string): unknown {
  const values = element?.Value ?? [];
  if (vr === 'PN') return values.map((v) => (typeof v === 'object' && v !== null ? v : {}));
  if (vr === 'SQ') return values.map((item) => naturalizeDataset(item as DicomJson));
  const plain = values.map((v) => v ?? '');
  if (plain.length === 0) return '';
  return plain.length === 1 ? plain[0] : plain;
}

/** A DICOM JSON dataset as dcmjs' naturalized form; attributes without a PS3.6 keyword are left out. */
export function naturalizeDataset(json: DicomJson): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [tag, element] of Object.entries(json)) {
    const keyword = keywordOf(tag);
    if (!keyword || element.BulkDataURI !== undefined || element.InlineBinary !== undefined) continue;
    out[keyword] = naturalizedValue(element, element.vr);
  }
  return out;
}

/**
 * A C-FIND response identifier (PS3.4 §C.4.1.1.3.2): exactly the requested keys, each with the match's
 * value or zero length, plus `extra` (Query/Retrieve Level …). Specific Character Set is ISO_IR 192
 * whenever a value is not ASCII, as dcmjs writes text in UTF-8.
 */
export function responseIdentifier(
  match: DicomJson,
  keys: readonly IdentifierKey[],
  extra: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const keyword = keywordOf(key.tag);
    if (!keyword || keyword === 'SpecificCharacterSet') continue;
    const element = match[key.tag];
    out[keyword] = naturalizedValue(element, element?.vr ?? key.vr);
  }
  Object.assign(out, extra);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  if (/[^\x00-\x7f]/.test(JSON.stringify(out))) out['SpecificCharacterSet'] = 'ISO_IR 192';
  return out;
}
