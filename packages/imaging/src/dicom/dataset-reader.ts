import type { DicomJson, DicomJsonElement } from '../service/port.ts';
import { type CharsetDecoder, charsetDecoder } from './charset.ts';
import { dictionaryEntry } from './dcmjs-dictionary.ts';
import { type ElementHeader, readElementHeader } from './element-header.ts';
import { invalidDicom } from './errors.ts';
import {
  countElement,
  ITEM,
  ITEM_DELIMITER,
  type ReadContext,
  SEQUENCE_DELIMITER,
  tagKey,
  tagLabel,
  truncated,
  UNDEFINED_LENGTH,
} from './read-context.ts';
import { OPAQUE_VRS, valueElement } from './values.ts';

/**
 * A bounded walk over an encoded dataset (PS3.5 §7) producing DICOM JSON. Every step advances by at
 * least 8 bytes and counts against `limits.maxElements`, nesting against `limits.maxDepth`, and no value
 * is read past its enclosing length, so any input ends quickly in a result or an AppError.
 */
interface DatasetScope {
  readonly start: number;
  readonly end: number;
  /** Path of this dataset's item (`''` at top level; `00540016.0` for the first item of a sequence). */
  readonly path: string;
  readonly depth: number;
  readonly decode: CharsetDecoder;
  /** An undefined-length item: the dataset ends at an Item Delimitation Item. */
  readonly untilItemDelimiter: boolean;
}

const PIXEL_DATA_TAGS = new Set([0x7fe00010, 0x7fe00008, 0x7fe00009]);
const TRAILING_PADDING = 0xfffcfffc;
const SPECIFIC_CHARACTER_SET = 0x00080005;
const PIXEL_REPRESENTATION = 0x00280103;

export function readDataset(ctx: ReadContext, scope: DatasetScope): { dataset: DicomJson; end: number } {
  const out: Record<string, DicomJsonElement> = {};
  let elementScope = scope;
  let pixelRepresentation = 0;
  let lastTag = -1;
  let pos = scope.start;
  while (pos < scope.end) {
    const h = readElementHeader(ctx, pos, scope.end, pixelRepresentation);
    countElement(ctx);
    if (h.tag === ITEM_DELIMITER && scope.untilItemDelimiter) return { dataset: out, end: h.valueOffset };
    if (h.tag >>> 16 === 0xfffe) {
      throw invalidDicom(`unexpected ${tagLabel(h.tag)} at byte ${pos}: item tags belong inside a sequence`);
    }
    const key = tagKey(h.tag);
    // Elements are in ascending order (PS3.5 §7.1); only out-of-order ones need the duplicate check.
    if (h.tag <= lastTag && Object.hasOwn(out, key)) {
      throw invalidDicom(`duplicate element ${tagLabel(h.tag)} at byte ${pos}`);
    }
    lastTag = Math.max(lastTag, h.tag);
    const { element, next } = readElement(ctx, h, elementScope);
    pos = next;
    if (!element) continue;
    out[key] = element;
    if (h.tag === SPECIFIC_CHARACTER_SET) {
      // PS3.5 §7.5.3: an item's own Specific Character Set applies to it and the items nested in it.
      const decode = charsetDecoder((element.Value ?? []).map((v) => (typeof v === 'string' ? v : '')));
      elementScope = { ...scope, decode };
    } else if (h.tag === PIXEL_REPRESENTATION && element.Value?.[0] === 1) {
      pixelRepresentation = 1;
    }
  }
  if (scope.untilItemDelimiter) {
    throw invalidDicom(`truncated: an item ending at byte ${scope.end} has no Item Delimitation Item`);
  }
  return { dataset: out, end: pos };
}

/** `7FE00010` at top level, `00540016.0.00181072` inside the first item of a sequence. */
function pathOf(scope: DatasetScope, h: ElementHeader): string {
  return scope.path === '' ? tagKey(h.tag) : `${scope.path}.${tagKey(h.tag)}`;
}

function definedEnd(h: ElementHeader): number {
  if (h.length === UNDEFINED_LENGTH) {
    throw invalidDicom(
      `element ${tagLabel(h.tag)} at byte ${h.offset} has an undefined length, which ${h.vr} does not allow`,
    );
  }
  return h.valueOffset + h.length;
}

/** One element as JSON, or none for elements DICOM JSON leaves out; `next` is the byte after it. */
function readElement(
  ctx: ReadContext,
  h: ElementHeader,
  scope: DatasetScope,
): { element?: DicomJsonElement; next: number } {
  const group = h.tag >>> 16;
  // Group lengths (retired, PS3.5 §7.2), File Meta elements repeated in the dataset, and the trailing
  // padding of PS3.10 §7.2 carry no attribute: skip them.
  if ((h.tag & 0xffff) === 0 || group === 0x0002 || h.tag === TRAILING_PADDING)
    return { next: definedEnd(h) };
  if (h.vr === 'UN' && h.length !== UNDEFINED_LENGTH && ctx.explicitVr) {
    const known = knownVrOfUn(h.tag);
    // PS3.5 §6.2.2: a UN value is the value as implicit VR little endian would encode it, so a standard
    // tag sent as UN (e.g. by a converter that lost the VRs) is read with its dictionary VR, as dcmtk,
    // pydicom and dcmjs do.
    if (known)
      return readElement({ ...ctx, explicitVr: false, littleEndian: true }, { ...h, vr: known }, scope);
  }
  const isPixelData = PIXEL_DATA_TAGS.has(h.tag);
  if (h.length === UNDEFINED_LENGTH && isPixelData && ctx.encapsulated && h.vr !== 'SQ') {
    // OB as PS3.5 §A.4 says; OW or UN (a converter that lost the VR) are read the same way.
    const next = readFragments(ctx, h, scope.end);
    return { element: bulkElement(ctx, { ...h, vr: 'OB' }, pathOf(scope, h), next - 8), next };
  }
  if (h.vr === 'SQ' || (h.vr === 'UN' && h.length === UNDEFINED_LENGTH)) {
    // PS3.5 §6.2.2: a UN value of undefined length is a sequence encoded in implicit VR little endian.
    const seqCtx = h.vr === 'UN' ? { ...ctx, explicitVr: false, littleEndian: true } : ctx;
    const { items, next } = readSequence(seqCtx, h, scope, pathOf(scope, h));
    return { element: items.length > 0 ? { vr: 'SQ', Value: items } : { vr: 'SQ' }, next };
  }
  const next = definedEnd(h);
  if (OPAQUE_VRS.has(h.vr) && (isPixelData || h.length > ctx.limits.inlineBinaryMax)) {
    return { element: bulkElement(ctx, h, pathOf(scope, h), next), next };
  }
  return { element: valueElement(ctx, h, scope.decode), next };
}

/** The dictionary VR of a standard (even-group) tag, where it is unambiguous. */
function knownVrOfUn(tag: number): string | undefined {
  if ((tag >>> 16) % 2 === 1 || (tag & 0xffff) === 0) return undefined;
  const vr = dictionaryEntry(tag)?.vr;
  if (vr === undefined || vr === 'UN' || vr === 'na' || vr === 'ox' || vr === 'lt' || vr === 'xs')
    return undefined;
  return vr === 'up' ? 'UL' : vr;
}

/** Bulk data: the value stays in the stored bytes; JSON points at it (PS3.18 §F.2.6). */
function bulkElement(ctx: ReadContext, h: ElementHeader, path: string, valueEnd: number): DicomJsonElement {
  if (ctx.offsetsAreOriginal) ctx.bulk.set(path, { offset: h.valueOffset, length: valueEnd - h.valueOffset });
  return { vr: h.vr, BulkDataURI: `bulk:${path}` };
}

/** Encapsulated Pixel Data (PS3.5 §A.4): items of defined length up to a Sequence Delimitation Item. */
function readFragments(ctx: ReadContext, h: ElementHeader, end: number): number {
  let pos = h.valueOffset;
  for (;;) {
    if (end - pos < 8)
      throw truncated('encapsulated Pixel Data (no Sequence Delimitation Item)', pos, 8, end);
    const item = readElementHeader(ctx, pos, end);
    countElement(ctx);
    if (item.tag === SEQUENCE_DELIMITER) return item.valueOffset;
    if (item.tag !== ITEM) {
      throw invalidDicom(
        `encapsulated Pixel Data: expected a fragment item at byte ${pos}, found ${tagLabel(item.tag)}`,
      );
    }
    if (item.length === UNDEFINED_LENGTH || item.length > end - item.valueOffset) {
      throw invalidDicom(
        `truncated: Pixel Data fragment at byte ${pos} declares ${item.length} bytes, past the end`,
      );
    }
    pos = item.valueOffset + item.length;
  }
}

/** A sequence of defined or undefined length, with items of defined or undefined length (PS3.5 §7.5). */
function readSequence(
  ctx: ReadContext,
  h: ElementHeader,
  scope: DatasetScope,
  path: string,
): { items: DicomJson[]; next: number } {
  if (scope.depth >= ctx.limits.maxDepth) {
    throw invalidDicom(
      `sequence ${tagLabel(h.tag)} at byte ${h.offset} is nested deeper than ${ctx.limits.maxDepth} levels`,
    );
  }
  const defined = h.length !== UNDEFINED_LENGTH;
  const end = defined ? h.valueOffset + h.length : scope.end;
  const items: DicomJson[] = [];
  let pos = h.valueOffset;
  for (;;) {
    if (defined && pos >= end) return { items, next: end };
    if (end - pos < 8) {
      throw truncated(`sequence ${tagLabel(h.tag)} started at byte ${h.offset}: next item`, pos, 8, end);
    }
    const item = readElementHeader(ctx, pos, end);
    countElement(ctx);
    if (item.tag === SEQUENCE_DELIMITER) return { items, next: defined ? end : item.valueOffset };
    if (item.tag !== ITEM) {
      throw invalidDicom(
        `sequence ${tagLabel(h.tag)} at byte ${h.offset}: expected an item (FFFE,E000) at byte ${pos}, found ${tagLabel(item.tag)}`,
      );
    }
    const itemDefined = item.length !== UNDEFINED_LENGTH;
    if (itemDefined && item.length > end - item.valueOffset) {
      throw invalidDicom(
        `truncated: item at byte ${pos} declares ${item.length} bytes, past the end of its sequence`,
      );
    }
    const result = readDataset(ctx, {
      start: item.valueOffset,
      end: itemDefined ? item.valueOffset + item.length : end,
      path: `${path}.${items.length}`,
      depth: scope.depth + 1,
      decode: scope.decode,
      untilItemDelimiter: !itemDefined,
    });
    items.push(result.dataset);
    pos = itemDefined ? item.valueOffset + item.length : result.end;
  }
}
