import type { Coding, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { ANY_RESOURCE, type PropertySpec, type TypeSpec } from './schema.ts';
import type { ExpandedValueSet } from './terminology.ts';

/** Inputs of the structural walk: the type table and the expanded required value sets. */
export interface WalkContext {
  readonly types: ReadonlyMap<string, TypeSpec>;
  /** Required value set URL → expansion (absent when it cannot be expanded: the binding is skipped). */
  readonly bindings: ReadonlyMap<string, ExpandedValueSet>;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function error(code: OperationOutcomeIssue['code'], text: string, expression: string): OperationOutcomeIssue {
  return { severity: 'error', code, details: { text }, expression: [expression] };
}

function describe(vs: ExpandedValueSet): string {
  const sample = [...vs.codes].slice(0, 12);
  const more = vs.codes.size > sample.length ? ', …' : '';
  return `${vs.url} (${sample.join(', ')}${more})`;
}

function codingMatches(c: Coding, vs: ExpandedValueSet): boolean {
  if (typeof c.code !== 'string') return false;
  if (typeof c.system !== 'string') return vs.codes.has(c.code);
  return vs.bySystem.get(c.system)?.has(c.code) === true;
}

function checkCoded(
  spec: PropertySpec,
  value: unknown,
  vs: ExpandedValueSet,
  path: string,
  out: OperationOutcomeIssue[],
): void {
  if (spec.typeCode === 'code') {
    if (typeof value === 'string' && !vs.codes.has(value)) {
      out.push(
        error('code-invalid', `Value "${value}" is not in the required value set ${describe(vs)}`, path),
      );
    }
    return;
  }
  if (!isObject(value)) return;
  if (spec.typeCode === 'Coding') {
    // A Coding with neither code nor system carries no coded claim (display-only): nothing to check.
    if ((value.code !== undefined || value.system !== undefined) && !codingMatches(value as Coding, vs)) {
      out.push(error('code-invalid', `Coding is not in the required value set ${describe(vs)}`, path));
    }
    return;
  }
  if (spec.typeCode === 'CodeableConcept') {
    const codings = Array.isArray(value.coding) ? (value.coding as unknown[]).filter(isObject) : [];
    // Text-only concepts are accepted: many official R4 examples use them for required bindings.
    if (codings.length === 0 || codings.some((c) => codingMatches(c as Coding, vs))) return;
    out.push(error('code-invalid', `No coding is in the required value set ${describe(vs)}`, path));
  }
}

function checkChoices(type: TypeSpec, obj: Json, path: string, out: OperationOutcomeIssue[]): void {
  for (const [element, keys] of type.choices) {
    const present = keys.filter((key) => obj[key] !== undefined || obj[`_${key}`] !== undefined);
    if (present.length > 1) {
      out.push(
        error(
          'structure',
          `Only one of ${present.join(', ')} may be present (${element}[x] is a choice)`,
          `${path}.${element}`,
        ),
      );
    }
  }
}

/** Walks a resource checking required bindings and choice-type conflicts at every depth. */
export function walkResource(
  ctx: WalkContext,
  resource: Json,
  path: string,
  out: OperationOutcomeIssue[],
): void {
  const type = typeof resource.resourceType === 'string' ? ctx.types.get(resource.resourceType) : undefined;
  if (type?.isResource) walkObject(ctx, type, resource, path, out);
}

function walkObject(
  ctx: WalkContext,
  type: TypeSpec,
  obj: Json,
  path: string,
  out: OperationOutcomeIssue[],
): void {
  if (type.choices.size > 0) checkChoices(type, obj, path, out);
  for (const key in obj) {
    const spec = type.properties.get(key);
    if (spec === undefined) continue;
    const vs = spec.requiredValueSet === undefined ? undefined : ctx.bindings.get(spec.requiredValueSet);
    if (vs === undefined && spec.childType === undefined) continue;
    const value = obj[key];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(ctx, spec, vs, value[i], `${path}.${key}[${i}]`, out);
    } else {
      visit(ctx, spec, vs, value, `${path}.${key}`, out);
    }
  }
}

function visit(
  ctx: WalkContext,
  spec: PropertySpec,
  vs: ExpandedValueSet | undefined,
  value: unknown,
  path: string,
  out: OperationOutcomeIssue[],
): void {
  if (vs !== undefined) checkCoded(spec, value, vs, path, out);
  if (spec.childType === undefined || !isObject(value)) return;
  if (spec.childType === ANY_RESOURCE) {
    walkResource(ctx, value, path, out);
    return;
  }
  const child = ctx.types.get(spec.childType);
  if (child) walkObject(ctx, child, value, path, out);
}
