import { evalFhirPathTyped, parseFhirPath, toTypedValue } from '@medplum/core';
import type { TypeModel } from './type-model.ts';

/**
 * FHIRPath evaluation for search-parameter expressions.
 *
 * Nearly all R4 expressions are plain paths (`Patient.name`, `Observation.value.ofType(Quantity)`,
 * `Account.subject.where(resolve() is Patient)`, `X.relatedArtifact.where(type='composed-of').resource`).
 * Those are compiled into a small typed walker over the JSON (about 10x faster than a general FHIRPath
 * engine and it knows each value's FHIR type from the schema); anything else falls back to
 * `@medplum/core`'s FHIRPath engine (types then come from the engine or the value's shape).
 */

/** A value found by an expression, with its FHIR type (`HumanName`, `dateTime`, … or `unknown`). */
export interface TypedNode {
  readonly value: unknown;
  readonly type: string;
}

/** Evaluates from `input`; `root` is the resource (`%resource`), defaulting to `input`. */
export type Evaluator = (input: TypedNode, root?: TypedNode) => TypedNode[];

type Step =
  | { readonly op: 'root' }
  | { readonly op: 'prop'; readonly name: string }
  | { readonly op: 'index'; readonly index: number }
  | { readonly op: 'ofType'; readonly type: string }
  | { readonly op: 'resolveIs'; readonly type: string }
  | { readonly op: 'whereEq'; readonly field: string; readonly literal: string };

/** Splits `a | b | (c | d).e` at its top-level `|` (not inside parentheses or quotes). */
export function splitUnion(expression: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === "'" && expression[i - 1] !== '\\') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(expression.slice(start).trim());
  return out.filter((b) => b.length > 0);
}

/** The resource type a branch starts from (`(Observation.value…)` → `Observation`), if it names one. */
function branchHead(branch: string): string | undefined {
  const m = /^\(*([A-Za-z][A-Za-z0-9]*)/.exec(branch);
  const head = m?.[1];
  return head !== undefined && /^[A-Z]/.test(head) ? head : undefined;
}

/**
 * Keeps the union branches of a shared expression that apply to `resourceType`
 * (`Patient.birthDate | Person.birthDate` → `Patient.birthDate` for Patient). Branches that start from
 * `Resource`, `DomainResource` or a relative path apply to every type. Returns undefined when none apply.
 */
export function expressionForType(expression: string, resourceType: string): string | undefined {
  const kept = splitUnion(expression).filter((b) => {
    const head = branchHead(b);
    return head === undefined || head === resourceType || head === 'Resource' || head === 'DomainResource';
  });
  return kept.length > 0 ? kept.join(' | ') : undefined;
}

const FN_PATTERNS: readonly [RegExp, (m: RegExpExecArray) => Step][] = [
  [/^%resource/, () => ({ op: 'root' })],
  [/^ofType\(([A-Za-z0-9]+)\)/, (m) => ({ op: 'ofType', type: m[1] ?? '' })],
  [/^as\(([A-Za-z0-9]+)\)/, (m) => ({ op: 'ofType', type: m[1] ?? '' })],
  [/^where\(resolve\(\)\s+is\s+([A-Za-z0-9]+)\)/, (m) => ({ op: 'resolveIs', type: m[1] ?? '' })],
  [
    /^where\(([a-z][A-Za-z0-9]*)\s*=\s*'([^'\\]*)'\)/,
    (m) => ({ op: 'whereEq', field: m[1] ?? '', literal: m[2] ?? '' }),
  ],
  [/^([A-Za-z_][A-Za-z0-9_]*)/, (m) => ({ op: 'prop', name: m[1] ?? '' })],
];

/** Parses one union branch into simple steps, or undefined when it needs the full FHIRPath engine. */
export function parseSimplePath(branch: string): Step[] | undefined {
  // `(X.value as Quantity)` is the R4 spelling of `X.value.ofType(Quantity)`.
  let rest = branch.replace(/\s+as\s+([A-Za-z0-9]+)\)/g, '.ofType($1))');
  // Grouping parentheses around a path are meaningless once the branch is union-free.
  while (rest.startsWith('(')) {
    const close = matchingParen(rest);
    if (close < 0) return undefined;
    rest = rest.slice(1, close) + rest.slice(close + 1);
  }
  const steps: Step[] = [];
  while (rest.length > 0) {
    let matched = false;
    for (const [re, make] of FN_PATTERNS) {
      const m = re.exec(rest);
      if (!m) continue;
      steps.push(make(m));
      rest = rest.slice(m[0].length);
      matched = true;
      break;
    }
    if (!matched) return undefined;
    const idx = /^\[(\d+)\]/.exec(rest);
    if (idx) {
      steps.push({ op: 'index', index: Number(idx[1]) });
      rest = rest.slice(idx[0].length);
    }
    if (rest.length === 0) break;
    if (!rest.startsWith('.')) return undefined;
    rest = rest.slice(1);
  }
  return steps.length > 0 ? steps : undefined;
}

function matchingParen(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The resource type a Reference (or canonical) points to, as FHIRPath `resolve() is T` would see it. */
export function referencedType(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { reference?: unknown }).reference;
  if (typeof ref === 'string') {
    const m = /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[^/]+)?$/.exec(ref);
    if (m?.[1]) return m[1];
  }
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

function dynamicType(node: TypedNode): string {
  if (node.type === 'Resource' && typeof node.value === 'object' && node.value !== null) {
    const rt = (node.value as { resourceType?: unknown }).resourceType;
    if (typeof rt === 'string') return rt;
  }
  return node.type;
}

function pushValue(out: TypedNode[], value: unknown, type: string): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) if (v !== undefined && v !== null) out.push({ value: v, type });
  } else out.push({ value, type });
}

function applyStep(model: TypeModel, step: Step, nodes: TypedNode[]): TypedNode[] {
  const out: TypedNode[] = [];
  switch (step.op) {
    case 'prop':
      for (const node of nodes) {
        if (typeof node.value !== 'object') continue;
        const obj = node.value as Record<string, unknown>;
        const slots = model.slots(dynamicType(node), step.name);
        if (slots) for (const slot of slots) pushValue(out, obj[slot.key], slot.type);
        else pushValue(out, obj[step.name], 'unknown');
      }
      return out;
    case 'root':
      return nodes;
    case 'index':
      return nodes.length > step.index ? [nodes[step.index] as TypedNode] : [];
    case 'ofType':
      return nodes.filter((n) => n.type === step.type || (n.type === 'unknown' && step.type === 'string'));
    case 'resolveIs':
      return nodes.filter((n) => referencedType(n.value) === step.type);
    case 'whereEq':
      return nodes.filter(
        (n) =>
          typeof n.value === 'object' && (n.value as Record<string, unknown>)[step.field] === step.literal,
      );
  }
}

function compileBranch(model: TypeModel, branch: string): Evaluator | undefined {
  const steps = parseSimplePath(branch);
  if (!steps) return undefined;
  const first = steps[0];
  const fromRoot = first?.op === 'root';
  // A leading type name (`Patient.`, `Resource.`) selects the input itself; a leading property is relative.
  const rest = fromRoot || (first?.op === 'prop' && /^[A-Z]/.test(first.name)) ? steps.slice(1) : steps;
  return (input, root) => {
    let nodes: TypedNode[] = [fromRoot ? (root ?? input) : input];
    for (const step of rest) {
      nodes = applyStep(model, step, nodes);
      if (nodes.length === 0) break;
    }
    return nodes;
  };
}

/** Full-engine fallback; medplum reports `BackboneElement`/`Element` when it lacks a schema: treat as unknown. */
function compileFallback(expression: string): Evaluator {
  const parsed = parseFhirPath(expression);
  return (input, root) =>
    evalFhirPathTyped(parsed, [toTypedValue(input.value)], {
      '%resource': toTypedValue((root ?? input).value),
    }).map((tv) => ({
      value: tv.value,
      type: /^[A-Z]/.test(tv.type) && tv.type !== 'Quantity' ? 'unknown' : tv.type,
    }));
}

/** Compiles an expression (already narrowed to one resource type) into an evaluator. */
export function compileExpression(model: TypeModel, expression: string): Evaluator {
  const branches = splitUnion(expression);
  const compiled = branches.map((b) => compileBranch(model, b));
  if (compiled.some((c) => c === undefined)) return compileFallback(expression);
  const evaluators = compiled as Evaluator[];
  if (evaluators.length === 1) return evaluators[0] as Evaluator;
  return (input, root) => evaluators.flatMap((e) => e(input, root));
}
