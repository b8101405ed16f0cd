import { parseFhirPath } from '@medplum/core';
import { AppError } from '../errors/index.ts';
import { isPlainObject, type Json } from './json.ts';

/** A `value` part: either a typed `value[x]` (suffix `String`, `HumanName` …) or nested `part`s for anonymous types. */
export type PatchValue = { kind: 'typed'; suffix: string; value: unknown } | { kind: 'parts'; parts: Json[] };

/** One FHIRPath Patch operation (http://hl7.org/fhir/R4/fhirpatch.html). */
export type FhirPathPatchOperation =
  | { type: 'add'; path: string; name: string; value: PatchValue }
  | { type: 'insert'; path: string; index: number; value: PatchValue }
  | { type: 'delete'; path: string }
  | { type: 'replace'; path: string; value: PatchValue }
  | { type: 'move'; path: string; source: number; destination: number };

function invalid(message: string): AppError {
  return new AppError('invalid', `Invalid FHIRPath Patch: ${message}`);
}

/** The value carried by a Parameters parameter/part: `value[x]`, `resource`, or nested `part`s. */
export function partValue(part: Json, what: string): PatchValue {
  const valueKeys = Object.keys(part).filter((k) => /^value[A-Z]/.test(k));
  if (valueKeys.length > 1) throw invalid(`${what} has more than one value[x]`);
  const key = valueKeys[0];
  if (key !== undefined) return { kind: 'typed', suffix: key.slice(5), value: part[key] };
  if (isPlainObject(part.resource)) return { kind: 'typed', suffix: 'Resource', value: part.resource };
  if (Array.isArray(part.part) && part.part.every(isPlainObject)) return { kind: 'parts', parts: part.part };
  throw invalid(`${what} has no value`);
}

function collectParts(op: Json, i: number): Map<string, Json> {
  if (op.name !== 'operation') throw invalid(`parameter ${i} must be named "operation"`);
  if (!Array.isArray(op.part)) throw invalid(`operation ${i} has no parts`);
  const parts = new Map<string, Json>();
  for (const part of op.part) {
    if (!isPlainObject(part) || typeof part.name !== 'string')
      throw invalid(`operation ${i} has a part without a name`);
    if (parts.has(part.name)) throw invalid(`operation ${i} repeats the part "${part.name}"`);
    parts.set(part.name, part);
  }
  return parts;
}

function stringPart(parts: Map<string, Json>, name: string, i: number): string {
  const part = parts.get(name);
  const value = part?.valueString ?? part?.valueCode;
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid(`operation ${i} needs a "${name}" part`);
  return value;
}

function integerPart(parts: Map<string, Json>, name: string, i: number): number {
  const value = parts.get(name)?.valueInteger;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalid(`operation ${i} needs a non-negative integer "${name}" part`);
  }
  return value;
}

function valuePart(parts: Map<string, Json>, i: number): PatchValue {
  const part = parts.get('value');
  if (!part) throw invalid(`operation ${i} needs a "value" part`);
  return partValue(part, `the value of operation ${i}`);
}

function parseOperation(op: unknown, i: number): FhirPathPatchOperation {
  if (!isPlainObject(op)) throw invalid(`parameter ${i} is not an object`);
  const parts = collectParts(op, i);
  const type = stringPart(parts, 'type', i);
  const path = stringPart(parts, 'path', i);
  try {
    parseFhirPath(path);
  } catch (err) {
    throw new AppError(
      'invalid',
      `Invalid FHIRPath Patch: operation ${i} has an unparseable path "${path}"`,
      { cause: err },
    );
  }
  switch (type) {
    case 'add':
      return { type, path, name: stringPart(parts, 'name', i), value: valuePart(parts, i) };
    case 'insert':
      return { type, path, index: integerPart(parts, 'index', i), value: valuePart(parts, i) };
    case 'delete':
      return { type, path };
    case 'replace':
      return { type, path, value: valuePart(parts, i) };
    case 'move':
      return {
        type,
        path,
        source: integerPart(parts, 'source', i),
        destination: integerPart(parts, 'destination', i),
      };
    default:
      throw invalid(`operation ${i} has unknown type "${type}"`);
  }
}

/** Reads a FHIRPath Patch `Parameters` resource into operations, checking every required part. */
export function parseFhirPathPatch(parameters: unknown): FhirPathPatchOperation[] {
  if (!isPlainObject(parameters) || parameters.resourceType !== 'Parameters') {
    throw invalid('the body must be a Parameters resource');
  }
  const ops = parameters.parameter;
  if (!Array.isArray(ops) || ops.length === 0) throw invalid('Parameters has no "operation" parameter');
  return ops.map(parseOperation);
}
