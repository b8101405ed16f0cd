import { AppError } from '../errors/index.ts';
import { dateRange, decimalRange, normalizeText } from './normalize.ts';
import type { Modifier, Prefix, SearchParamDef, SearchValue } from './types.ts';

/**
 * Parsing of one search parameter's value (`param[:modifier]=value`) by the parameter's type.
 * http://hl7.org/fhir/R4/search.html#ptypes and #escaping
 */

/** Splits at unescaped `sep`; pieces stay escaped (unescapeValue each leaf with `unescapeValue`). */
export function splitEscaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === sep) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

/** `\,` `\|` `\$` `\\` → the character itself. */
export function unescapeValue(s: string): string {
  return s.replace(/\\([,|$\\])/g, '$1');
}

const PREFIXES = new Set<string>(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap']);

function invalid(param: string, message: string): AppError {
  return new AppError('invalid', `Invalid value for search parameter '${param}': ${message}`);
}

function splitPrefix(param: string, raw: string): { prefix: Prefix; rest: string } {
  const m = /^([a-z]{2})(.*)$/s.exec(raw);
  if (!m) return { prefix: 'eq', rest: raw };
  const [, p = '', rest = ''] = m;
  if (!PREFIXES.has(p)) throw invalid(param, `unknown prefix '${p}'`);
  return { prefix: p as Prefix, rest };
}

export function parseDateValue(param: string, raw: string): Extract<SearchValue, { kind: 'date' }> {
  const { prefix, rest } = splitPrefix(param, unescapeValue(raw));
  const range = dateRange(rest);
  if (!range) throw invalid(param, `'${rest}' is not a date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime)`);
  return { kind: 'date', prefix, low: range.low, high: range.high };
}

function parseNumberValue(param: string, raw: string): Extract<SearchValue, { kind: 'number' }> {
  const { prefix, rest } = splitPrefix(param, unescapeValue(raw));
  const range = decimalRange(rest);
  if (!range) throw invalid(param, `'${rest}' is not a number`);
  return { kind: 'number', prefix, ...range };
}

function parseQuantityValue(param: string, raw: string): Extract<SearchValue, { kind: 'quantity' }> {
  const parts = splitEscaped(raw, '|');
  if (parts.length !== 1 && parts.length !== 3) throw invalid(param, 'expected [prefix]number|system|code');
  const { prefix, value, low, high } = parseNumberValue(param, parts[0] ?? '');
  const system = parts[1] ? unescapeValue(parts[1]) : null;
  const code = parts[2] ? unescapeValue(parts[2]) : null;
  return { kind: 'quantity', prefix, value, low, high, system, code };
}

function parseTokenValue(param: string, raw: string, modifier: Modifier | undefined): SearchValue {
  if (modifier === 'text') return { kind: 'token', text: normalizeText(unescapeValue(raw)) };
  const parts = splitEscaped(raw, '|').map(unescapeValue);
  if (modifier === 'of-type') {
    const [typeSystem, typeCode, value] = parts;
    if (parts.length !== 3 || !typeCode || !value) throw invalid(param, ':of-type expects system|code|value');
    return { kind: 'token', typeSystem: typeSystem ?? '', typeCode, code: value };
  }
  if (parts.length === 1) {
    if (!parts[0]) throw invalid(param, 'empty token');
    return { kind: 'token', code: parts[0] };
  }
  if (parts.length !== 2) throw invalid(param, "a token has at most one unescaped '|'");
  const [system = '', code = ''] = parts;
  if (!system && !code) throw invalid(param, "'|' alone is not a token");
  // `|code`: no system; `system|`: any code in that system.
  return { kind: 'token', system: system === '' ? null : system, ...(code === '' ? {} : { code }) };
}

const RELATIVE_REF = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

function parseReferenceValue(
  param: string,
  raw: string,
  def: SearchParamDef,
  typeModifier?: string,
): SearchValue {
  const value = unescapeValue(raw);
  const rel = RELATIVE_REF.exec(value);
  if (rel) {
    const [, type = '', id = ''] = rel;
    if (typeModifier && typeModifier !== type)
      throw invalid(param, `'${value}' does not match type modifier :${typeModifier}`);
    if (def.target && !def.target.includes(type))
      throw invalid(param, `${type} is not a target of this parameter`);
    return { kind: 'reference', targetType: type, targetId: id, url: null };
  }
  if (ID.test(value)) {
    const only = def.target?.length === 1 ? (def.target[0] ?? null) : null;
    return { kind: 'reference', targetType: typeModifier ?? only, targetId: value, url: null };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
    // Absolute URL, urn:uuid:, or canonical: the `|version` suffix is not indexed.
    return { kind: 'reference', targetType: null, targetId: null, url: value.split('|')[0] ?? value };
  }
  throw invalid(param, `'${value}' is not a reference (Type/id, id or an absolute URL)`);
}

export interface ValueContext {
  readonly param: string;
  readonly def: SearchParamDef;
  readonly modifier?: Modifier;
  /** `subject:Patient=…`: the resource-type modifier of a reference parameter. */
  readonly typeModifier?: string;
}

/** Parses one (OR-ed) value of a parameter; throws AppError('invalid') naming the parameter. */
export function parseValue(ctx: ValueContext, raw: string): SearchValue {
  const { param, def, modifier } = ctx;
  if (modifier === 'missing') {
    if (raw !== 'true' && raw !== 'false') throw invalid(param, ':missing expects true or false');
    return { kind: 'missing', missing: raw === 'true' };
  }
  if (raw === '') throw invalid(param, 'empty value');
  switch (def.type) {
    case 'string':
      return {
        kind: 'string',
        value: modifier === 'exact' ? unescapeValue(raw) : normalizeText(unescapeValue(raw)),
      };
    case 'token':
      return parseTokenValue(param, raw, modifier);
    case 'date':
      return parseDateValue(param, raw);
    case 'number':
      return parseNumberValue(param, raw);
    case 'quantity':
      return parseQuantityValue(param, raw);
    case 'uri':
      return { kind: 'uri', value: unescapeValue(raw) };
    case 'reference':
      return modifier === 'identifier'
        ? parseTokenValue(param, raw, undefined)
        : parseReferenceValue(param, raw, def, ctx.typeModifier);
    case 'composite':
      return parseCompositeValue(ctx, raw);
    case 'special':
      throw new AppError('unsupported', `Search parameter '${param}' is not supported`);
  }
}

function parseCompositeValue(ctx: ValueContext, raw: string): SearchValue {
  const components = ctx.def.components ?? [];
  const parts = splitEscaped(raw, '$');
  if (components.length === 0)
    throw new AppError('unsupported', `Composite parameter '${ctx.param}' has no components`);
  if (parts.length !== components.length) {
    throw invalid(ctx.param, `expected ${components.length} components separated by '$'`);
  }
  return {
    kind: 'composite',
    components: components.map((c, i) => parseValue({ param: ctx.param, def: c.param }, parts[i] ?? '')),
  };
}
