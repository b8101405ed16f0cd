import type { TypedNode } from './expression.ts';
import { dateRange, decimalRange, normalizeText } from './normalize.ts';
import type {
  DateValue,
  IndexValue,
  NumberValue,
  QuantityValue,
  ReferenceValue,
  StringValue,
  TokenValue,
} from './types.ts';

/**
 * Turns one FHIR value found by a search-parameter expression into index values, per the R4 table
 * of which data types each search-parameter type applies to: http://hl7.org/fhir/R4/search.html
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : [];
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Guesses a FHIR type from the shape of a value, for results of the full FHIRPath engine. */
function shapeType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return 'decimal';
  if (!isObj(v)) return 'unknown';
  if (typeof v.resourceType === 'string') return 'Resource';
  if ('coding' in v || ('text' in v && Object.keys(v).length === 1)) return 'CodeableConcept';
  if ('reference' in v || 'identifier' in v) return 'Reference';
  if ('family' in v || 'given' in v) return 'HumanName';
  if ('city' in v || 'line' in v || 'postalCode' in v) return 'Address';
  if ('start' in v || 'end' in v) return 'Period';
  if ('low' in v || 'high' in v) return 'Range';
  if (typeof v.value === 'number') return 'Quantity';
  if ('code' in v) return 'Coding';
  if ('value' in v) return 'Identifier';
  return 'unknown';
}

function nodeType(node: TypedNode): string {
  return node.type === 'unknown' ? shapeType(node.value) : node.type;
}

function token(system: string | null, code: string | null, text?: string | null): TokenValue {
  return text ? { kind: 'token', system, code, text: normalizeText(text) } : { kind: 'token', system, code };
}

function codingToken(c: Obj, text: string | null): TokenValue {
  return token(str(c.system), str(c.code), text ?? str(c.display));
}

export function tokenValues(node: TypedNode): TokenValue[] {
  const v = node.value;
  switch (nodeType(node)) {
    case 'CodeableConcept': {
      if (!isObj(v)) return [];
      const text = str(v.text);
      const codings = Array.isArray(v.coding) ? v.coding.filter(isObj) : [];
      if (codings.length === 0) return text ? [token(null, null, text)] : [];
      return codings.map((c) => codingToken(c, text));
    }
    case 'Coding':
      return isObj(v) ? [codingToken(v, null)] : [];
    case 'Identifier':
      return isObj(v) ? identifierTokens(v) : [];
    case 'ContactPoint':
      // R4: ContactPoint tokens match on value only; ContactPoint.system is not a code system.
      return isObj(v) && str(v.value) ? [token(null, str(v.value))] : [];
    case 'boolean':
    case 'decimal':
    case 'integer':
      return typeof v === 'boolean' || typeof v === 'number' ? [token(null, String(v))] : [];
    default:
      return typeof v === 'string' && v.length > 0 ? [token(null, v)] : [];
  }
}

function identifierTokens(v: Obj): TokenValue[] {
  const system = str(v.system);
  const value = str(v.value);
  const type = isObj(v.type) ? v.type : undefined;
  const typeText = type ? str(type.text) : null;
  const typeCodings = type && Array.isArray(type.coding) ? type.coding.filter(isObj) : [];
  if (typeCodings.length === 0) return [token(system, value, typeText)];
  return typeCodings.map((c) => ({
    ...token(system, value, typeText ?? str(c.display)),
    typeSystem: str(c.system),
    typeCode: str(c.code),
  }));
}

function stringValue(s: string): StringValue {
  return { kind: 'string', normalized: normalizeText(s), exact: s };
}

function humanNameStrings(v: Obj): string[] {
  const family = str(v.family);
  const given = strs(v.given);
  const out = [...(family ? [family] : []), ...given, ...strs(v.prefix), ...strs(v.suffix)];
  const text = str(v.text);
  if (text) out.push(text);
  if (given.length > 0 && family) out.push([...given, family].join(' '));
  // Chinese names are written family-first without a space: 张 + 伟 → 张伟.
  if (family && CJK.test(family + given.join(''))) out.push(family + given.join(''));
  return out;
}

function addressStrings(v: Obj): string[] {
  const parts = [str(v.city), str(v.district), str(v.state), str(v.postalCode), str(v.country)];
  const lines = strs(v.line);
  const out = [...lines, ...parts.filter((p): p is string => p !== null)];
  const text = str(v.text);
  if (text) out.push(text);
  const whole = [...lines, ...parts].filter((p): p is string => p !== null);
  if (whole.length > 1) out.push(whole.join(' '));
  // Chinese addresses read from the largest unit down, without spaces: 浙江省杭州市西湖区文三路…
  if (CJK.test(whole.join(''))) {
    const big = [str(v.country), str(v.state), str(v.city), str(v.district), ...lines].filter(
      (p): p is string => p !== null,
    );
    out.push(big.join(''));
  }
  return out;
}

export function stringValues(node: TypedNode): StringValue[] {
  const v = node.value;
  let raw: string[];
  switch (nodeType(node)) {
    case 'HumanName':
      raw = isObj(v) ? humanNameStrings(v) : [];
      break;
    case 'Address':
      raw = isObj(v) ? addressStrings(v) : [];
      break;
    case 'CodeableConcept':
      raw = isObj(v)
        ? [
            str(v.text),
            ...(Array.isArray(v.coding) ? v.coding.filter(isObj).map((c) => str(c.display)) : []),
          ].filter((s): s is string => s !== null)
        : [];
      break;
    case 'Coding':
      raw = isObj(v) && str(v.display) ? [v.display as string] : [];
      break;
    default:
      raw = typeof v === 'string' && v.length > 0 ? [v] : [];
  }
  return raw.map(stringValue).filter((s) => s.normalized.length > 0);
}

function periodValue(start: unknown, end: unknown): DateValue | undefined {
  const low = typeof start === 'string' ? (dateRange(start)?.low ?? null) : null;
  const high = typeof end === 'string' ? (dateRange(end)?.high ?? null) : null;
  return low === null && high === null ? undefined : { kind: 'date', low, high };
}

export function dateValues(node: TypedNode): DateValue[] {
  const v = node.value;
  const type = nodeType(node);
  if (typeof v === 'string') {
    const r = dateRange(v);
    return r ? [{ kind: 'date', low: r.low, high: r.high }] : [];
  }
  if (!isObj(v)) return [];
  if (type === 'Period') {
    const p = periodValue(v.start, v.end);
    return p ? [p] : [];
  }
  if (type === 'Timing') {
    const ranges = strs(v.event)
      .map((e) => dateRange(e))
      .filter((r) => r !== undefined);
    const out: DateValue[] = [];
    if (ranges.length > 0) {
      const low = ranges.map((r) => r.low).sort()[0] ?? null;
      const high =
        ranges
          .map((r) => r.high)
          .sort()
          .at(-1) ?? null;
      out.push({ kind: 'date', low, high });
    }
    const bounds = isObj(v.repeat) && isObj(v.repeat.boundsPeriod) ? v.repeat.boundsPeriod : undefined;
    const b = bounds ? periodValue(bounds.start, bounds.end) : undefined;
    if (b) out.push(b);
    return out;
  }
  return [];
}

const INTEGER_TYPES = new Set(['integer', 'positiveInt', 'unsignedInt']);

export function numberValues(node: TypedNode): NumberValue[] {
  const v = node.value;
  if (typeof v === 'number' || typeof v === 'string') {
    const r = decimalRange(String(v));
    if (!r) return [];
    // Stored integers are exact; stored decimals carry their implicit precision.
    return INTEGER_TYPES.has(node.type)
      ? [{ kind: 'number', value: r.value, low: r.value, high: r.value }]
      : [{ kind: 'number', ...r }];
  }
  const q = quantityValues(node)[0];
  return q ? [{ kind: 'number', value: q.value, low: q.low, high: q.high }] : [];
}

function rangeQuantity(v: Obj): QuantityValue | undefined {
  const low = isObj(v.low) ? v.low : undefined;
  const high = isObj(v.high) ? v.high : undefined;
  const lowV = low && typeof low.value === 'number' ? decimalRange(String(low.value))?.value : undefined;
  const highV = high && typeof high.value === 'number' ? decimalRange(String(high.value))?.value : undefined;
  const value = lowV ?? highV;
  if (value === undefined) return undefined;
  const unitSource = low ?? high ?? {};
  return {
    kind: 'quantity',
    value,
    // An open end of a Range is unbounded (PostgreSQL numeric accepts ±Infinity).
    low: lowV ?? '-Infinity',
    high: highV ?? 'Infinity',
    system: str(unitSource.system),
    code: str(unitSource.code),
    unit: str(unitSource.unit),
  };
}

export function quantityValues(node: TypedNode): QuantityValue[] {
  const v = node.value;
  if (!isObj(v)) return [];
  const type = nodeType(node);
  if (type === 'Range') {
    const r = rangeQuantity(v);
    return r ? [r] : [];
  }
  if (typeof v.value !== 'number' && typeof v.value !== 'string') return [];
  const r = decimalRange(String(v.value));
  if (!r) return [];
  if (type === 'Money') {
    return [
      {
        kind: 'quantity',
        ...r,
        system: 'urn:iso:std:iso:4217',
        code: str(v.currency),
        unit: str(v.currency),
      },
    ];
  }
  return [{ kind: 'quantity', ...r, system: str(v.system), code: str(v.code), unit: str(v.unit) }];
}

const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;
const ABSOLUTE = /^(https?:\/\/.+?\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64}))(?:\/_history\/[^/]+)?$/;

function parseReferenceString(ref: string): Omit<ReferenceValue, 'kind'> | undefined {
  if (ref.startsWith('#')) return undefined; // contained: not indexed
  const rel = RELATIVE.exec(ref);
  if (rel) return { targetType: rel[1] ?? null, targetId: rel[2] ?? null, url: null };
  const abs = ABSOLUTE.exec(ref);
  if (abs) return { targetType: abs[2] ?? null, targetId: abs[3] ?? null, url: abs[1] ?? ref };
  return { targetType: null, targetId: null, url: ref.split('|')[0] ?? ref };
}

export function referenceValues(node: TypedNode): ReferenceValue[] {
  const v = node.value;
  const type = nodeType(node);
  if (typeof v === 'string') {
    // canonical / uri used as a reference: the version suffix is not part of the identity.
    const url = v.split('|')[0] ?? v;
    return url ? [{ kind: 'reference', targetType: null, targetId: null, url }] : [];
  }
  if (!isObj(v)) return [];
  if (type === 'Resource') {
    const rt = str(v.resourceType);
    const id = str(v.id);
    return rt && id ? [{ kind: 'reference', targetType: rt, targetId: id, url: null }] : [];
  }
  const ref = str(v.reference);
  const parsed = ref ? parseReferenceString(ref) : undefined;
  const ident = isObj(v.identifier) ? v.identifier : undefined;
  const identSystem = ident ? str(ident.system) : null;
  const identValue = ident ? str(ident.value) : null;
  if (!parsed && identValue === null) return [];
  const base = parsed ?? { targetType: null, targetId: null, url: null };
  return [
    identValue === null
      ? { kind: 'reference', ...base }
      : { kind: 'reference', ...base, identifierSystem: identSystem, identifierValue: identValue },
  ];
}

export function uriValues(node: TypedNode): IndexValue[] {
  const v = node.value;
  if (typeof v !== 'string' || v.length === 0) return [];
  const bare = v.split('|')[0] ?? v;
  return bare !== v
    ? [
        { kind: 'uri', value: v },
        { kind: 'uri', value: bare },
      ]
    : [{ kind: 'uri', value: v }];
}
