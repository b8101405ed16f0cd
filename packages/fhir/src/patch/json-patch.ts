import type { Resource } from '@medplum/fhirtypes';
import { AppError } from '../errors/index.ts';
import { deepEqual, isPlainObject, type Json } from './json.ts';

/** One RFC 6902 operation, after shape checks. */
export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

function invalid(message: string): AppError {
  return new AppError('invalid', `Invalid JSON Patch: ${message}`);
}

function unprocessable(message: string): AppError {
  return new AppError('unprocessable', `JSON Patch cannot be applied: ${message}`);
}

/** RFC 6901: "/a~1b/0" → ["a/b", "0"]. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw invalid(`path "${pointer}" must be empty or start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw invalid(`path "${pointer}" has a bad "~" escape`);
      const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
      // Assigning "__proto__" would swap the prototype of a parsed object instead of adding a member.
      if (key === '__proto__') throw invalid(`path "${pointer}" names "__proto__"`);
      return key;
    });
}

/** Checks the shape of a patch document (RFC 6902 §4) before anything is applied. */
export function parseJsonPatch(operations: unknown): JsonPatchOperation[] {
  if (!Array.isArray(operations)) throw invalid('the body must be a JSON array of operations');
  return operations.map((raw, i) => {
    if (!isPlainObject(raw)) throw invalid(`operation ${i} is not an object`);
    const { op, path, from } = raw;
    if (typeof op !== 'string' || !OPS.has(op))
      throw invalid(`operation ${i} has unknown op "${String(op)}"`);
    if (typeof path !== 'string') throw invalid(`operation ${i} (${op}) needs a string "path"`);
    parsePointer(path);
    if (op === 'move' || op === 'copy') {
      if (typeof from !== 'string') throw invalid(`operation ${i} (${op}) needs a string "from"`);
      parsePointer(from);
      return { op, from, path };
    }
    if (op === 'remove') return { op, path };
    if (!('value' in raw)) throw invalid(`operation ${i} (${op}) needs a "value"`);
    return { op: op as 'add' | 'replace' | 'test', path, value: raw.value };
  });
}

/** A document wrapped in a holder so the root ("" pointer) is a child like any other. */
interface Holder {
  root: unknown;
}

interface Location {
  parent: Json | unknown[];
  key: string;
}

function locate(holder: Holder, pointer: string): Location {
  const tokens = parsePointer(pointer);
  let parent: Json | unknown[] = holder as unknown as Json;
  let key = 'root';
  for (const token of tokens) {
    const next = childOf(parent, key, pointer);
    if (!Array.isArray(next) && !isPlainObject(next)) throw unprocessable(`"${pointer}" does not exist`);
    parent = next;
    key = token;
  }
  return { parent, key };
}

function childOf(parent: Json | unknown[], key: string, pointer: string): unknown {
  if (Array.isArray(parent)) {
    if (!ARRAY_INDEX.test(key)) throw invalid(`"${key}" in "${pointer}" is not an array index`);
    return parent[Number(key)];
  }
  return Object.hasOwn(parent, key) ? parent[key] : undefined;
}

function get(holder: Holder, pointer: string): unknown {
  const { parent, key } = locate(holder, pointer);
  const value = childOf(parent, key, pointer);
  if (value === undefined) throw unprocessable(`"${pointer}" does not exist`);
  return value;
}

function add(holder: Holder, pointer: string, value: unknown): void {
  const { parent, key } = locate(holder, pointer);
  if (!Array.isArray(parent)) {
    parent[key] = value;
    return;
  }
  if (key === '-') {
    parent.push(value);
    return;
  }
  if (!ARRAY_INDEX.test(key)) throw invalid(`"${key}" in "${pointer}" is not an array index`);
  const index = Number(key);
  if (index > parent.length)
    throw unprocessable(`index ${index} in "${pointer}" is past the end of the array`);
  parent.splice(index, 0, value);
}

function remove(holder: Holder, pointer: string): unknown {
  const value = get(holder, pointer);
  const { parent, key } = locate(holder, pointer);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return value;
}

function applyOne(holder: Holder, op: JsonPatchOperation): void {
  switch (op.op) {
    case 'add':
      add(holder, op.path, structuredClone(op.value));
      return;
    case 'remove':
      remove(holder, op.path);
      return;
    case 'replace':
      get(holder, op.path);
      if (op.path === '') holder.root = structuredClone(op.value);
      else {
        const { parent, key } = locate(holder, op.path);
        (parent as Json)[key] = structuredClone(op.value);
      }
      return;
    case 'move':
      if (op.path.startsWith(`${op.from}/`))
        throw unprocessable(`cannot move "${op.from}" into its own child "${op.path}"`);
      add(holder, op.path, remove(holder, op.from));
      return;
    case 'copy':
      add(holder, op.path, structuredClone(get(holder, op.from)));
      return;
    case 'test':
      if (!deepEqual(get(holder, op.path), op.value)) throw unprocessable(`test failed at "${op.path}"`);
      return;
  }
}

/**
 * Applies an RFC 6902 JSON Patch to a copy of the resource (the input is never mutated).
 * Malformed operations or pointers → AppError('invalid'); a failed `test` or a target that does
 * not exist in this resource → AppError('unprocessable'). All or nothing.
 */
export function applyJsonPatch(resource: Resource, operations: unknown): Resource {
  const ops = parseJsonPatch(operations);
  const holder: Holder = { root: structuredClone(resource) };
  for (const op of ops) applyOne(holder, op);
  if (!isPlainObject(holder.root)) throw unprocessable('the result is not a JSON object');
  return holder.root as unknown as Resource;
}
