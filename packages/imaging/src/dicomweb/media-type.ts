/**
 * Media types and content negotiation for DICOMweb (PS3.18 §8.7: Accept with q-values, the
 * `multipart/related` `type` and `transfer-syntax` parameters; RFC 9110 §12.5.1; RFC 2387).
 */

export interface MediaType {
  /** `type/subtype`, lower case (`multipart/related`, `application/dicom`, `*\/*`). */
  readonly essence: string;
  /** Parameter names lower case; values unquoted, case kept (boundaries are case-sensitive). */
  readonly params: ReadonlyMap<string, string>;
}

export interface MediaRange extends MediaType {
  /** Quality 0–1 (RFC 9110 §12.4.2); 1 when absent. */
  readonly q: number;
}

/** Splits on `separator` outside double-quoted strings (RFC 9110 §5.6.4), honouring `\` escapes. */
function splitOutsideQuotes(value: string, separator: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted && ch === '\\' && i + 1 < value.length) {
      current += ch + value[++i];
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === separator && !quoted) {
      out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  out.push(current);
  return out;
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  return v;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parses one media type (`Content-Type`, or one element of `Accept`); undefined when malformed. */
export function parseMediaType(value: string): MediaType | undefined {
  const [head, ...rest] = splitOutsideQuotes(value, ';');
  const essence = (head ?? '').trim().toLowerCase();
  const [type, subtype, extra] = essence.split('/');
  if (!type || !subtype || extra !== undefined || !TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  const params = new Map<string, string>();
  for (const raw of rest) {
    if (raw.trim() === '') continue;
    const eq = raw.indexOf('=');
    if (eq <= 0) return undefined;
    const name = raw.slice(0, eq).trim().toLowerCase();
    if (!TOKEN.test(name)) return undefined;
    params.set(name, unquote(raw.slice(eq + 1)));
  }
  return { essence, params };
}

/**
 * The media ranges of an `Accept` header (and/or the `accept` query parameter, PS3.18 §8.3.3.1),
 * malformed elements dropped, best first: by q, then more specific, then as written.
 */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || header.trim() === '') return [];
  const ranges: { range: MediaRange; order: number }[] = [];
  splitOutsideQuotes(header, ',').forEach((element, order) => {
    const parsed = parseMediaType(element);
    if (!parsed) return;
    const params = new Map(parsed.params);
    const rawQ = params.get('q');
    params.delete('q');
    const q = rawQ === undefined ? 1 : Number(rawQ);
    if (!Number.isFinite(q) || q < 0 || q > 1) return;
    ranges.push({ range: { essence: parsed.essence, params, q }, order });
  });
  return ranges
    .sort((a, b) => b.range.q - a.range.q || specificity(b.range) - specificity(a.range) || a.order - b.order)
    .map((r) => r.range);
}

function specificity(range: MediaRange): number {
  if (range.essence === '*/*') return 0;
  if (range.essence.endsWith('/*')) return 1;
  return 2 + range.params.size;
}

/** What a resource can answer with; the server's preference is the order of the offers. */
export interface Offer {
  /** A `multipart/related` body whose parts are `type`, or a single-part body of `type`. */
  readonly multipart: boolean;
  /** The part media type (multipart) or the body media type (single part). */
  readonly type: string;
  /**
   * The transfer syntax of the bytes (PS3.18 §8.7.3.5.2); `MIXED_TRANSFER_SYNTAXES` when the parts
   * differ; absent where the parameter does not apply (rendered media, JSON).
   */
  readonly transferSyntax?: string;
}

/** A transfer-syntax value no UID equals: only `*` (or no parameter) accepts instances of mixed syntaxes. */
export const MIXED_TRANSFER_SYNTAXES = 'mixed';

function typeMatches(pattern: string, type: string): boolean {
  if (pattern === '*/*' || pattern === '*') return true;
  if (pattern.endsWith('/*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

function transferSyntaxAccepts(range: MediaRange, offer: Offer): boolean {
  const wanted = range.params.get('transfer-syntax');
  // No transcoding here: an absent parameter is taken as `*` (documented in README.md).
  if (wanted === undefined || wanted === '*' || offer.transferSyntax === undefined) return true;
  return wanted === offer.transferSyntax;
}

function rangeMatches(range: MediaRange, offer: Offer): boolean {
  if (range.essence === '*/*') return true;
  if (offer.multipart) {
    if (range.essence !== 'multipart/related' && range.essence !== 'multipart/*') return false;
    const partType = range.params.get('type')?.toLowerCase();
    return (
      (partType === undefined || typeMatches(partType, offer.type)) && transferSyntaxAccepts(range, offer)
    );
  }
  return typeMatches(range.essence, offer.type) && transferSyntaxAccepts(range, offer);
}

/**
 * The offer to answer with, or undefined (406 Not Acceptable). No `Accept` (or only `*\/*`) takes the
 * first offer. Ranges with q=0 are dropped; the best range that matches any offer wins, and among the
 * offers it matches the server's first.
 */
export function negotiate(accept: readonly MediaRange[], offers: readonly Offer[]): Offer | undefined {
  if (accept.length === 0) return offers[0];
  for (const range of accept) {
    if (range.q <= 0) continue;
    const offer = offers.find((o) => rangeMatches(range, o));
    if (offer) return offer;
  }
  return undefined;
}

/** `Content-Type` of an answer to an offer, with the `transfer-syntax` parameter where it applies. */
export function contentTypeOf(offer: Offer, boundary?: string): string {
  if (!offer.multipart) return withTransferSyntax(offer.type, offer.transferSyntax);
  const ts =
    offer.transferSyntax && offer.transferSyntax !== MIXED_TRANSFER_SYNTAXES
      ? offer.transferSyntax
      : undefined;
  const tsParam = ts ? `; transfer-syntax=${ts}` : '';
  return `multipart/related; type="${offer.type}"${tsParam}; boundary=${boundary ?? ''}`;
}

export function withTransferSyntax(type: string, transferSyntax: string | undefined): string {
  if (!transferSyntax || transferSyntax === MIXED_TRANSFER_SYNTAXES) return type;
  return `${type}; transfer-syntax=${transferSyntax}`;
}
