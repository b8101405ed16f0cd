import { AppError, type Modifier, normalizeText, type Prefix, type SearchValue } from '@yiyun/fhir';
import { escapeLike, type SqlParams } from './sql-params.ts';

/** The index table holding a search parameter type's rows. */
export function tableFor(type: string): string {
  switch (type) {
    case 'token':
    case 'string':
    case 'date':
    case 'number':
    case 'quantity':
    case 'reference':
    case 'uri':
    case 'composite':
      return `sp_${type}`;
    default:
      throw new AppError('unsupported', `Search parameters of type ${type} are not supported`);
  }
}

/**
 * Range comparison of an indexed range [low, high) against a search range [sLow, sHigh).
 * The search bounds are functions so that only the placeholders a prefix uses are bound.
 */
function rangePredicate(
  prefix: Prefix,
  low: string,
  high: string,
  sLow: () => string,
  sHigh: () => string,
): string {
  const contained = () => `(${low} >= ${sLow()} and ${high} <= ${sHigh()})`;
  switch (prefix) {
    case 'eq':
      return contained();
    case 'ne':
      return `not ${contained()}`;
    case 'gt':
      return `${high} > ${sHigh()}`;
    case 'lt':
      return `${low} < ${sLow()}`;
    case 'ge':
      return `(${high} > ${sHigh()} or ${contained()})`;
    case 'le':
      return `(${low} < ${sLow()} or ${contained()})`;
    case 'sa':
      return `${low} >= ${sHigh()}`;
    case 'eb':
      return `${high} <= ${sLow()}`;
    case 'ap':
      return `(${low} < ${sHigh()} and ${high} > ${sLow()})`;
  }
}

/** Point comparison of an indexed number against a search value with implicit range [sLow, sHigh). */
function numberPredicate(
  prefix: Prefix,
  col: string,
  p: SqlParams,
  v: { value: string; low: string; high: string },
) {
  // Placeholders are added only when used: an unused parameter has no type and fails to prepare.
  const value = () => p.add(v.value, 'numeric');
  switch (prefix) {
    case 'eq':
      return `(${col} >= ${p.add(v.low, 'numeric')} and ${col} < ${p.add(v.high, 'numeric')})`;
    case 'ne':
      return `not (${col} >= ${p.add(v.low, 'numeric')} and ${col} < ${p.add(v.high, 'numeric')})`;
    case 'gt':
    case 'sa':
      return `${col} > ${value()}`;
    case 'lt':
    case 'eb':
      return `${col} < ${value()}`;
    case 'ge':
      return `${col} >= ${value()}`;
    case 'le':
      return `${col} <= ${value()}`;
    case 'ap':
      // ±10 % of the value, as the spec suggests.
      return `(${col} between ${value()} * 0.9 and ${value()} * 1.1 or ${col} between ${value()} * 1.1 and ${value()} * 0.9)`;
  }
}

function tokenPredicate(
  v: Extract<SearchValue, { kind: 'token' }>,
  modifier: Modifier | undefined,
  p: SqlParams,
) {
  if (modifier === 'text') {
    const text = normalizeText(v.text ?? v.code ?? '');
    return `s.text like ${p.add(`%${escapeLike(text)}%`, 'text')}`;
  }
  if (modifier === 'of-type') {
    return `(s.type_system = ${p.add(v.typeSystem ?? null, 'text')} and s.type_code = ${p.add(v.typeCode ?? null, 'text')} and s.code = ${p.add(v.code ?? null, 'text')})`;
  }
  const parts: string[] = [];
  if (v.code !== undefined && v.code !== null) parts.push(`s.code = ${p.add(v.code, 'text')}`);
  if (v.system === null) parts.push('s.system is null');
  else if (v.system !== undefined) parts.push(`s.system = ${p.add(v.system, 'text')}`);
  return parts.length ? `(${parts.join(' and ')})` : 'true';
}

function referencePredicate(v: Extract<SearchValue, { kind: 'reference' }>, p: SqlParams): string {
  if (v.targetId) {
    const id = p.add(v.targetId, 'text');
    if (!v.targetType) return `s.target_id = ${id}`;
    // A canonical written as `Type/id` (relative canonical) is indexed as a URL, not a target.
    return `((s.target_id = ${id} and s.target_type = ${p.add(v.targetType, 'text')}) or s.url = ${p.add(`${v.targetType}/${v.targetId}`, 'text')})`;
  }
  return v.url ? `s.url = ${p.add(v.url, 'text')}` : 'false';
}

/** SQL predicate over an index row aliased `s` for one search value. */
export function valuePredicate(value: SearchValue, modifier: Modifier | undefined, p: SqlParams): string {
  switch (value.kind) {
    case 'token':
      if (modifier === 'identifier') {
        return `(s.identifier_system is not distinct from ${p.add(value.system ?? null, 'text')} and s.identifier_value = ${p.add(value.code ?? null, 'text')})`;
      }
      return tokenPredicate(value, modifier, p);
    case 'string': {
      if (modifier === 'exact') return `s.exact = ${p.add(value.value, 'text')}`;
      // The parser has normalised the value (lower case, no diacritics) as extraction does.
      const norm = escapeLike(value.value);
      const pattern = modifier === 'contains' ? `%${norm}%` : `${norm}%`;
      return `s.normalized like ${p.add(pattern, 'text')}`;
    }
    case 'date':
      return rangePredicate(
        value.prefix,
        's.low',
        's.high',
        () => p.add(value.low, 'timestamptz'),
        () => p.add(value.high, 'timestamptz'),
      );
    case 'number':
      return numberPredicate(value.prefix, 's.value', p, value);
    case 'quantity': {
      const parts = [numberPredicate(value.prefix, 's.value', p, value)];
      if (value.code) {
        const code = p.add(value.code, 'text');
        parts.push(`(s.code = ${code} or s.unit = ${code})`);
      }
      if (value.system) parts.push(`s.system = ${p.add(value.system, 'text')}`);
      return `(${parts.join(' and ')})`;
    }
    case 'reference':
      return referencePredicate(value, p);
    case 'uri':
      if (modifier === 'below') return `s.value like ${p.add(`${escapeLike(value.value)}%`, 'text')}`;
      if (modifier === 'above')
        return `${p.add(value.value, 'text')} like (replace(replace(s.value, '%', '\\%'), '_', '\\_') || '%')`;
      return `s.value = ${p.add(value.value, 'text')}`;
    case 'composite':
      return compositePredicate(value.components, p);
    case 'missing':
      throw new AppError('internal', 'missing is compiled by the filter, not as a value');
  }
}

/**
 * Composite rows keep their components as a JSON array of IndexValues; each search component is
 * compared with the matching element.
 */
function compositePredicate(components: readonly SearchValue[], p: SqlParams): string {
  const parts = components.map((c, i) => {
    const el = `s.components->${i}`;
    switch (c.kind) {
      case 'token': {
        const sub: string[] = [];
        if (c.code) sub.push(`${el}->>'code' = ${p.add(c.code, 'text')}`);
        if (c.system) sub.push(`${el}->>'system' = ${p.add(c.system, 'text')}`);
        return sub.length ? sub.join(' and ') : 'true';
      }
      case 'quantity':
      case 'number': {
        const pred = numberPredicate(c.prefix, `(${el}->>'value')::numeric`, p, c);
        if (c.kind === 'quantity' && c.code) {
          const code = p.add(c.code, 'text');
          return `${pred} and (${el}->>'code' = ${code} or ${el}->>'unit' = ${code})`;
        }
        return pred;
      }
      case 'date':
        return rangePredicate(
          c.prefix,
          `coalesce((${el}->>'low')::timestamptz, '-infinity')`,
          `coalesce((${el}->>'high')::timestamptz, 'infinity')`,
          () => p.add(c.low, 'timestamptz'),
          () => p.add(c.high, 'timestamptz'),
        );
      case 'string':
        return `${el}->>'normalized' like ${p.add(`${escapeLike(normalizeText(c.value))}%`, 'text')}`;
      case 'reference':
        return c.targetId ? `${el}->>'targetId' = ${p.add(c.targetId, 'text')}` : 'false';
      case 'uri':
        return `${el}->>'value' = ${p.add(c.value, 'text')}`;
      default:
        throw new AppError('invalid', 'Unsupported composite component');
    }
  });
  return `(${parts.join(' and ')})`;
}
