import { AppError } from '../errors/index.ts';
import { parseValue, splitEscaped } from './parse-values.ts';
import type { Filter, Modifier, SearchParamDef, SearchParamRegistry, SearchParamType } from './types.ts';

/**
 * Parsing of one filter parameter (`name[:modifier][.chain]=values`, `_has:…`) into a Filter.
 * http://hl7.org/fhir/R4/search.html#chaining and #has
 */

const MODIFIERS: Readonly<Record<SearchParamType, readonly Modifier[]>> = {
  string: ['missing', 'exact', 'contains'],
  token: ['missing', 'text', 'not', 'of-type', 'in', 'not-in', 'above', 'below'],
  reference: ['missing', 'identifier'],
  uri: ['missing', 'above', 'below'],
  date: ['missing'],
  number: ['missing'],
  quantity: ['missing'],
  composite: ['missing'],
  special: [],
};
/** Need a terminology server we do not have (yet). */
const UNSUPPORTED_MODIFIERS = new Set<string>(['in', 'not-in']);

export interface FilterContext {
  readonly registry: SearchParamRegistry;
  /** Chain / _has nesting depth, to refuse absurd inputs. */
  readonly depth: number;
}

/** Result of parsing: a filter, or the name of an unknown parameter (the caller decides what to do). */
export type FilterResult = { readonly filter: Filter } | { readonly unknown: string };

const MAX_DEPTH = 4;

function invalid(message: string): AppError {
  return new AppError('invalid', message);
}

/** Parses `key=raw` for `resourceType` (a concrete type or `Resource` for system-level searches). */
export function parseFilter(
  ctx: FilterContext,
  resourceType: string,
  key: string,
  raw: string,
): FilterResult {
  if (ctx.depth > MAX_DEPTH) throw invalid(`Search parameter '${key}' nests chains or _has too deeply`);
  if (key === '_has' || key.startsWith('_has:')) return parseHas(ctx, resourceType, key, raw);
  const dot = key.indexOf('.');
  const head = dot < 0 ? key : key.slice(0, dot);
  const colon = head.indexOf(':');
  const code = colon < 0 ? head : head.slice(0, colon);
  const modifierText = colon < 0 ? undefined : head.slice(colon + 1);
  if (code === '_id') return { filter: parseIdFilter(key, modifierText, raw) };
  const def = ctx.registry.get(resourceType, code);
  if (!def) return { unknown: key };
  if (dot >= 0) return parseChain(ctx, def, key, modifierText, key.slice(dot + 1), raw);
  if (code === '_lastUpdated') {
    if (modifierText !== undefined) throw invalid(`Unknown modifier ':${modifierText}' for '_lastUpdated'`);
    const values = splitEscaped(raw, ',').map((v) => parseValue({ param: key, def }, v));
    return {
      filter: { kind: 'lastUpdated', values: values as Extract<Filter, { kind: 'lastUpdated' }>['values'] },
    };
  }
  return { filter: parseParamFilter(ctx, def, key, modifierText, raw) };
}

function parseIdFilter(key: string, modifier: string | undefined, raw: string): Filter {
  if (modifier !== undefined && modifier !== 'not')
    throw invalid(`Unknown modifier ':${modifier}' for '_id'`);
  const ids = splitEscaped(raw, ',').map((v) => v.trim());
  if (ids.some((id) => !/^[A-Za-z0-9\-.]{1,64}$/.test(id)))
    throw invalid(`Invalid value for search parameter '${key}': not a resource id`);
  return modifier === 'not' ? { kind: 'id', ids, not: true } : { kind: 'id', ids };
}

function isResourceType(registry: SearchParamRegistry, t: string): boolean {
  return registry.resourceTypes().includes(t);
}

function parseParamFilter(
  ctx: FilterContext,
  def: SearchParamDef,
  key: string,
  modifierText: string | undefined,
  raw: string,
): Filter {
  let modifier: Modifier | undefined;
  let typeModifier: string | undefined;
  if (modifierText !== undefined) {
    if (def.type === 'reference' && isResourceType(ctx.registry, modifierText)) {
      if (def.target && !def.target.includes(modifierText)) {
        throw invalid(`'${modifierText}' is not a target type of search parameter '${def.code}'`);
      }
      typeModifier = modifierText;
    } else if ((MODIFIERS[def.type] as readonly string[]).includes(modifierText)) {
      modifier = modifierText as Modifier;
    } else {
      throw invalid(`Unknown modifier ':${modifierText}' for ${def.type} search parameter '${def.code}'`);
    }
  }
  if (
    modifier &&
    (UNSUPPORTED_MODIFIERS.has(modifier) ||
      (def.type === 'token' && (modifier === 'above' || modifier === 'below')))
  ) {
    throw new AppError(
      'unsupported',
      `Modifier ':${modifier}' on '${def.code}' needs terminology services and is not supported`,
    );
  }
  const values = splitEscaped(raw, ',').map((v) =>
    parseValue({ param: key, def, modifier, typeModifier }, v),
  );
  return modifier ? { kind: 'param', param: def, modifier, values } : { kind: 'param', param: def, values };
}

/**
 * `subject:Patient.name=x` or `subject.name=x`. Without a type modifier the target type is the only
 * target of the reference that has the next parameter; if several do, the chain is ambiguous and we
 * reject it asking for a type modifier (AND-ed filters cannot express "Patient or Group").
 */
function parseChain(
  ctx: FilterContext,
  def: SearchParamDef,
  key: string,
  modifierText: string | undefined,
  rest: string,
  raw: string,
): FilterResult {
  if (def.type !== 'reference')
    throw invalid(`Search parameter '${def.code}' is not a reference and cannot be chained ('${key}')`);
  const nextCode = rest.split(/[.:]/)[0] ?? '';
  const targetType = chainTarget(ctx.registry, def, modifierText, nextCode, key);
  const next = parseFilter({ ...ctx, depth: ctx.depth + 1 }, targetType, rest, raw);
  if ('unknown' in next)
    throw invalid(`Unknown search parameter '${nextCode}' on ${targetType} in chain '${key}'`);
  return { filter: { kind: 'chain', param: def, targetType, next: next.filter } };
}

function chainTarget(
  registry: SearchParamRegistry,
  def: SearchParamDef,
  modifierText: string | undefined,
  nextCode: string,
  key: string,
): string {
  if (modifierText !== undefined) {
    if (!isResourceType(registry, modifierText) || (def.target && !def.target.includes(modifierText))) {
      throw invalid(
        `'${modifierText}' is not a target type of search parameter '${def.code}' in chain '${key}'`,
      );
    }
    return modifierText;
  }
  const targets = def.target ?? [];
  const candidates = targets.filter((t) => nextCode === '_id' || registry.get(t, nextCode) !== undefined);
  if (candidates.length === 1) return candidates[0] as string;
  if (candidates.length === 0)
    throw invalid(`Unknown search parameter '${nextCode}' on the targets of '${def.code}' in chain '${key}'`);
  throw invalid(
    `Ambiguous chain '${key}': '${nextCode}' exists on ${candidates.join(', ')}; add a type modifier, e.g. '${def.code}:${candidates[0]}.${nextCode}'`,
  );
}

/** `_has:Observation:patient:code=x` (and nested `_has:A:p:_has:B:q:code=x`). */
function parseHas(ctx: FilterContext, resourceType: string, key: string, raw: string): FilterResult {
  const m = /^_has:([A-Za-z]+):([A-Za-z0-9_-]+):(.+)$/.exec(key);
  if (!m) throw invalid(`Invalid _has parameter '${key}': expected _has:Type:reference:parameter`);
  const [, targetType = '', refCode = '', rest = ''] = m;
  if (!isResourceType(ctx.registry, targetType))
    throw invalid(`Unknown resource type '${targetType}' in '${key}'`);
  const referenceParam = ctx.registry.get(targetType, refCode);
  if (referenceParam?.type !== 'reference') {
    throw invalid(`'${refCode}' is not a reference search parameter of ${targetType} in '${key}'`);
  }
  if (resourceType !== 'Resource' && referenceParam.target && !referenceParam.target.includes(resourceType)) {
    throw invalid(`${targetType}.${refCode} cannot point to ${resourceType} in '${key}'`);
  }
  const next = parseFilter({ ...ctx, depth: ctx.depth + 1 }, targetType, rest, raw);
  if ('unknown' in next)
    throw invalid(`Unknown search parameter '${next.unknown}' on ${targetType} in '${key}'`);
  return { filter: { kind: 'has', targetType, referenceParam, next: next.filter } };
}
