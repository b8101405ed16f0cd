import { evalFhirPathTyped, type TypedValue, toTypedValue } from '@medplum/core';
import { AppError } from '../errors/index.ts';
import { isPlainObject, type Json } from './json.ts';

/** Where an element lives: `parent[key]`, or `parent[key][index]` for an item of a list. */
export interface Slot {
  readonly parent: Json;
  readonly key: string;
  readonly index?: number;
  /** The element name as written in FHIRPath (`deceased` for the key `deceasedBoolean`). */
  readonly element: string;
}

/** A match of a FHIRPath expression, with its type and (when it is part of the resource) its slot. */
export interface Match {
  readonly type: string;
  readonly value: unknown;
  readonly path?: string;
}

/** Evaluates a FHIRPath expression against the resource being patched. */
export function evaluate(root: Json, expression: string): Match[] {
  try {
    return evalFhirPathTyped(expression, [toTypedValue(root)]) as (TypedValue & { path?: string })[];
  } catch (err) {
    throw new AppError('invalid', `Invalid FHIRPath Patch: cannot evaluate "${expression}"`, { cause: err });
  }
}

export function slotValue(slot: Slot): unknown {
  const value = slot.parent[slot.key];
  return slot.index === undefined ? value : (value as unknown[])[slot.index];
}

/** The own key of `obj` that holds element `name`, resolving choice types (`deceased` → `deceasedBoolean`). */
export function keyFor(obj: Json, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  return Object.keys(obj).find(
    (k) => k.length > name.length && k.startsWith(name) && /^[A-Z]/.test(k.slice(name.length)),
  );
}

const SEGMENT = /^([A-Za-z][A-Za-z0-9_]*)(?:\[(\d+)\])?$/;

/** Follows a path such as `Patient.name[0].given[1]` (as Medplum reports it) from the root. */
function navigate(root: Json, path: string): Slot | undefined {
  const segments = path.split('.');
  if (segments[0] === root.resourceType && !Object.hasOwn(root, segments[0] as string)) segments.shift();
  let current: unknown = root;
  let slot: Slot | undefined;
  for (const segment of segments) {
    const m = SEGMENT.exec(segment);
    if (!m || !isPlainObject(current)) return undefined;
    const element = m[1] as string;
    const key = keyFor(current, element);
    if (key === undefined) return undefined;
    const value = current[key];
    if (m[2] === undefined || !Array.isArray(value)) {
      if (m[2] !== undefined && m[2] !== '0') return undefined;
      slot = { parent: current, key, element };
      current = value;
    } else {
      const index = Number(m[2]);
      if (index >= value.length) return undefined;
      slot = { parent: current, key, index, element };
      current = value[index];
    }
  }
  return slot;
}

/** Finds an object by identity inside the resource (for matches whose reported path is not navigable). */
function findByIdentity(node: unknown, target: object): Slot | undefined {
  if (!isPlainObject(node)) return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (value === target) return { parent: node, key, element: key };
    const items = Array.isArray(value) ? value : [value];
    for (let i = 0; i < items.length; i++) {
      if (items[i] === target && Array.isArray(value)) return { parent: node, key, index: i, element: key };
      const found = findByIdentity(items[i], target);
      if (found) return found;
    }
  }
  return undefined;
}

/** The slot holding a match, or undefined when the match is not an element of the resource (e.g. a computed value). */
export function slotOf(root: Json, match: Match): Slot | undefined {
  const byPath = match.path === undefined ? undefined : navigate(root, match.path);
  if (byPath && slotValue(byPath) === match.value) return byPath;
  if (typeof match.value === 'object' && match.value !== null) return findByIdentity(root, match.value);
  return undefined;
}

/** Evaluates `expression`, requiring it to match at most (or exactly) one element of the resource. */
export function locateOne(
  root: Json,
  expression: string,
  options: { required: boolean },
): { slot: Slot; match: Match } | undefined {
  const matches = evaluate(root, expression);
  if (matches.length > 1) {
    throw new AppError(
      'unprocessable',
      `FHIRPath Patch: "${expression}" matches ${matches.length} elements; expected one`,
    );
  }
  const match = matches[0];
  if (match === undefined) {
    if (!options.required) return undefined;
    throw new AppError('unprocessable', `FHIRPath Patch: "${expression}" matches nothing`);
  }
  if (match.path !== undefined && match.path === root.resourceType && match.value === root) {
    throw new AppError('invalid', `FHIRPath Patch: "${expression}" names the whole resource`);
  }
  const slot = slotOf(root, match);
  if (!slot)
    throw new AppError('invalid', `FHIRPath Patch: "${expression}" does not name an element of the resource`);
  return { slot, match };
}
