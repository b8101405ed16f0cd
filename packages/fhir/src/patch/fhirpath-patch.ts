import { tryGetDataType } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { AppError } from '../errors/index.ts';
import { ensureMedplumDefinitions } from '../validation/index.ts';
import { evaluate, locateOne, type Slot, slotOf } from './fhirpath-locate.ts';
import {
  type FhirPathPatchOperation,
  type PatchValue,
  parseFhirPathPatch,
  partValue,
} from './fhirpath-patch-params.ts';
import { isPlainObject, type Json } from './json.ts';

interface ElementInfo {
  readonly isChoice: boolean;
  readonly isArray: boolean;
  /** Type code of a non-choice element (`HumanName`, `PatientContact`, `string` …). */
  readonly typeCode?: string;
}

function unprocessable(message: string): AppError {
  return new AppError('unprocessable', `FHIRPath Patch cannot be applied: ${message}`);
}

function invalid(message: string): AppError {
  return new AppError('invalid', `Invalid FHIRPath Patch: ${message}`);
}

function elementInfo(typeName: string, name: string): ElementInfo | undefined {
  const elements = tryGetDataType(typeName)?.elements;
  const plain = elements?.[name];
  if (plain)
    return {
      isChoice: false,
      isArray: plain.isArray === true,
      ...(plain.type[0] ? { typeCode: plain.type[0].code } : {}),
    };
  const choice = elements?.[`${name}[x]`];
  return choice ? { isChoice: true, isArray: false } : undefined;
}

function requireElement(typeName: string, name: string): ElementInfo {
  const info = elementInfo(typeName, name);
  if (!info) throw invalid(`${typeName} has no element "${name}"`);
  return info;
}

/** Builds the JSON for a `value` part; nested `part`s become an object shaped by the target type. */
function buildValue(value: PatchValue, typeName: string | undefined): unknown {
  if (value.kind === 'typed') return structuredClone(value.value);
  const obj: Json = {};
  for (const part of value.parts) {
    const name = part.name;
    if (typeof name !== 'string') throw invalid('a value part has no name');
    const info = typeName === undefined ? undefined : elementInfo(typeName, name);
    const child = partValue(part, `value part "${name}"`);
    if (info?.isChoice && child.kind !== 'typed') throw invalid(`value part "${name}" needs a value[x]`);
    const key = info?.isChoice && child.kind === 'typed' ? name + child.suffix : name;
    const built = buildValue(child, info?.typeCode);
    const existing = obj[key];
    if (info?.isArray || existing !== undefined) {
      obj[key] = [...(Array.isArray(existing) ? existing : existing === undefined ? [] : [existing]), built];
    } else {
      obj[key] = built;
    }
  }
  return obj;
}

/** Keeps the `_key` sibling (extensions on primitive list items) aligned with a list edit. */
function spliceSidecar(
  parent: Json,
  key: string,
  start: number,
  deleteCount: number,
  insert?: unknown,
): void {
  const sidecar = parent[`_${key}`];
  if (!Array.isArray(sidecar)) return;
  if (insert === undefined) sidecar.splice(start, deleteCount);
  else sidecar.splice(start, deleteCount, insert);
}

/** The single object a path names (the resource itself included), with its FHIR type. */
function locateContainer(root: Json, expression: string): { obj: Json; type: string } {
  const matches = evaluate(root, expression);
  if (matches.length !== 1)
    throw unprocessable(`"${expression}" matches ${matches.length} elements; expected one`);
  const match = matches[0] as { type: string; value: unknown };
  if (!isPlainObject(match.value))
    throw invalid(`"${expression}" does not name an element that can hold children`);
  if (match.value !== root && !slotOf(root, match))
    throw invalid(`"${expression}" does not name an element of the resource`);
  return { obj: match.value, type: match.type };
}

/** For insert and move: the path names a list, so split it into the object holding it and the list's name. */
function locateList(root: Json, expression: string): { obj: Json; key: string; info: ElementInfo } {
  const m = /^(?:(.*)\.)?([A-Za-z][A-Za-z0-9_]*)$/.exec(expression.trim());
  if (!m) throw invalid(`"${expression}" must end with the name of a list element`);
  const key = m[2] as string;
  const container =
    m[1] === undefined ? { obj: root, type: String(root.resourceType) } : locateContainer(root, m[1]);
  const info = requireElement(container.type, key);
  if (!info.isArray) throw invalid(`"${expression}" is not a list`);
  return { obj: container.obj, key, info };
}

function listOf(obj: Json, key: string): unknown[] {
  const list = obj[key] ?? [];
  if (!Array.isArray(list)) throw unprocessable(`"${key}" is not a list`);
  obj[key] = list;
  return list;
}

function add(root: Json, op: Extract<FhirPathPatchOperation, { type: 'add' }>): void {
  const { obj, type } = locateContainer(root, op.path);
  const info = requireElement(type, op.name);
  if (info.isChoice && op.value.kind !== 'typed')
    throw invalid(`"${op.name}" is a choice element and needs a value[x]`);
  const key = info.isChoice && op.value.kind === 'typed' ? op.name + op.value.suffix : op.name;
  const value = buildValue(op.value, info.isChoice ? undefined : info.typeCode);
  if (info.isArray) {
    const list = listOf(obj, key);
    list.push(value);
    spliceSidecar(obj, key, list.length - 1, 0, null);
    return;
  }
  const existing = info.isChoice
    ? Object.keys(obj).find((k) => k.startsWith(op.name) && /^[A-Z]/.test(k.slice(op.name.length)))
    : key;
  if (existing !== undefined && obj[existing] !== undefined) {
    throw unprocessable(`"${op.path}" already has "${op.name}"; use replace`);
  }
  obj[key] = value;
}

function insert(root: Json, op: Extract<FhirPathPatchOperation, { type: 'insert' }>): void {
  const { obj, key, info } = locateList(root, op.path);
  const list = listOf(obj, key);
  if (op.index > list.length)
    throw unprocessable(`index ${op.index} is past the end of "${op.path}" (${list.length} items)`);
  list.splice(op.index, 0, buildValue(op.value, info.typeCode));
  spliceSidecar(obj, key, op.index, 0, null);
}

function move(root: Json, op: Extract<FhirPathPatchOperation, { type: 'move' }>): void {
  const { obj, key } = locateList(root, op.path);
  const list = listOf(obj, key);
  if (op.source >= list.length || op.destination >= list.length) {
    throw unprocessable(
      `source ${op.source} or destination ${op.destination} is outside "${op.path}" (${list.length} items)`,
    );
  }
  const [item] = list.splice(op.source, 1);
  list.splice(op.destination, 0, item);
  const sidecar = obj[`_${key}`];
  if (Array.isArray(sidecar)) sidecar.splice(op.destination, 0, sidecar.splice(op.source, 1)[0] ?? null);
}

function remove(slot: Slot): void {
  const { parent, key, index } = slot;
  if (index !== undefined) {
    const list = parent[key] as unknown[];
    list.splice(index, 1);
    spliceSidecar(parent, key, index, 1);
    if (list.length > 0) return;
  }
  delete parent[key];
  delete parent[`_${key}`];
}

function replace(root: Json, op: Extract<FhirPathPatchOperation, { type: 'replace' }>): void {
  const found = locateOne(root, op.path, { required: true });
  if (!found) throw unprocessable(`"${op.path}" matches nothing`);
  const { slot, match } = found;
  const value = buildValue(op.value, match.type);
  const { parent, key, index, element } = slot;
  if (index !== undefined) {
    (parent[key] as unknown[])[index] = value;
  } else if (key !== element && op.value.kind === 'typed') {
    // A choice element may change type: valueString → valueQuantity.
    delete parent[key];
    delete parent[`_${key}`];
    parent[element + op.value.suffix] = value;
  } else {
    parent[key] = value;
  }
}

function applyOne(root: Json, op: FhirPathPatchOperation): void {
  switch (op.type) {
    case 'add':
      add(root, op);
      return;
    case 'insert':
      insert(root, op);
      return;
    case 'move':
      move(root, op);
      return;
    case 'replace':
      replace(root, op);
      return;
    case 'delete': {
      const found = locateOne(root, op.path, { required: false });
      if (found) remove(found.slot);
      return;
    }
  }
}

/**
 * Applies a FHIRPath Patch (http://hl7.org/fhir/R4/fhirpatch.html) to a copy of the resource.
 * Missing parts, unknown types or unparseable paths → AppError('invalid'); a path that matches
 * several elements (or none, where one is needed) or an index out of range → AppError('unprocessable').
 * Deleting a path that matches nothing is not an error. All or nothing; the input is never mutated.
 */
export function applyFhirPathPatch(resource: Resource, parameters: unknown): Resource {
  const ops = parseFhirPathPatch(parameters);
  ensureMedplumDefinitions();
  const root = structuredClone(resource) as unknown as Json;
  for (const op of ops) applyOne(root, op);
  return root as unknown as Resource;
}
