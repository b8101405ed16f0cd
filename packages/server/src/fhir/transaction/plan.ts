import { randomUUID } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import type { StoredResource } from '@yiyun/store';
import { conditionalLockKey, conditionFrom, findMatches } from '../handlers/conditional.ts';
import { atEntry } from '../http/errors.ts';
import { requireResource, safe } from '../http/resource-body.ts';
import type { FhirContext, FhirRequest } from '../types.ts';
import { rewriteReferences } from './references.ts';

/** What a POST or PUT entry will do, decided before anything is written so references can be rewritten. */
export type WritePlan =
  | { readonly kind: 'create'; readonly id: string; readonly resource: Resource }
  | { readonly kind: 'existing'; readonly resource: StoredResource }
  | { readonly kind: 'update'; readonly resource: Resource };

export interface TxEntry {
  readonly index: number;
  readonly req: FhirRequest;
  readonly fullUrl?: string;
  plan?: WritePlan;
}

interface Condition {
  readonly entry: TxEntry;
  readonly type: string;
  readonly criteria: URLSearchParams;
}

/**
 * Decides every POST/PUT entry (ids pre-assigned, conditional ones matched) and returns the map from
 * fullUrl to `Type/id`. All conditional criteria are locked first, in one sorted order, so concurrent
 * transactions cannot deadlock on each other's locks.
 */
export async function planWrites(
  entries: readonly TxEntry[],
  ctx: FhirContext,
): Promise<Map<string, string>> {
  const conditions = new Map<TxEntry, Condition>();
  for (const entry of entries) {
    const condition = guard(entry.index, () => conditionOf(entry, ctx));
    if (condition) conditions.set(entry, condition);
  }
  const keys = [
    ...new Set([...conditions.values()].map((c) => conditionalLockKey(c.type, c.criteria))),
  ].sort();
  for (const key of keys) await ctx.repo.lock(key);
  const ids = new Map<string, string>();
  for (const entry of entries) {
    if (entry.req.method !== 'POST' && entry.req.method !== 'PUT') continue;
    try {
      entry.plan = await planEntry(entry, conditions.get(entry), ctx);
    } catch (err) {
      throw atEntry(entry.index, err);
    }
    const target = targetOf(entry.plan);
    if (entry.fullUrl !== undefined) {
      if (ids.has(entry.fullUrl)) throw atEntry(entry.index, new AppError('invalid', 'Duplicate fullUrl'));
      ids.set(entry.fullUrl, target);
    }
  }
  return ids;
}

function conditionOf(entry: TxEntry, ctx: FhirContext): Condition | undefined {
  const { method, parts, headers, query } = entry.req;
  const type = parts[0];
  if (type === undefined || (method !== 'POST' && method !== 'PUT')) return undefined;
  if (!ctx.resourceTypes.has(type)) throw new AppError('not-found', `Unknown resource type ${safe(type)}`);
  const ifNoneExist = headers['if-none-exist'];
  if (method === 'POST' && ifNoneExist !== undefined && ifNoneExist.trim() !== '') {
    return { entry, type, criteria: conditionFrom(ifNoneExist) };
  }
  if (method === 'PUT' && parts.length === 1) return { entry, type, criteria: conditionFrom(query) };
  return undefined;
}

async function planEntry(
  entry: TxEntry,
  condition: Condition | undefined,
  ctx: FhirContext,
): Promise<WritePlan> {
  const { method, parts, body } = entry.req;
  const [type = '', id] = parts;
  const expectedParts = method === 'POST' || condition ? 1 : 2;
  if (parts.length !== expectedParts || type === '') throw new AppError('invalid', `Invalid ${method} url`);
  const resource = requireResource(body, type);
  const matches = condition ? await findMatches(ctx, type, condition.criteria) : [];
  if (matches.length > 1)
    throw new AppError('precondition-failed', 'The criteria matched more than one resource');
  const match = matches[0];
  if (method === 'POST') {
    return match ? { kind: 'existing', resource: match } : { kind: 'create', id: randomUUID(), resource };
  }
  if (!condition) {
    if (resource.id !== id) throw new AppError('invalid', 'The id in the resource does not match the url');
    return { kind: 'update', resource };
  }
  if (match && resource.id !== undefined && resource.id !== match.id) {
    throw new AppError('invalid', 'The id in the resource differs from the id of the matched resource');
  }
  if (match) return { kind: 'update', resource: { ...resource, id: match.id } };
  return resource.id === undefined
    ? { kind: 'create', id: randomUUID(), resource }
    : { kind: 'update', resource };
}

function targetOf(plan: WritePlan): string {
  const id = plan.kind === 'create' ? plan.id : plan.resource.id;
  return `${plan.resource.resourceType}/${id}`;
}

/**
 * Rewrites every reference to an entry's fullUrl and resolves conditional references (exactly one match
 * required). A reference that names no entry fails the whole transaction.
 */
export async function resolveReferences(
  entries: readonly TxEntry[],
  ids: ReadonlyMap<string, string>,
  ctx: FhirContext,
): Promise<void> {
  const cache = new Map<string, string>();
  for (const entry of entries) {
    const plan = entry.plan;
    if (!plan || plan.kind === 'existing') continue;
    try {
      const { conditional, unresolved } = rewriteReferences(plan.resource, ids);
      const missing = unresolved[0];
      if (missing !== undefined) {
        throw new AppError('invalid', `Reference ${safe(missing)} names no entry of this transaction`);
      }
      for (const ref of conditional)
        ref.holder['reference'] = await resolveConditional(ref.reference, ctx, cache);
    } catch (err) {
      throw atEntry(entry.index, err);
    }
  }
}

async function resolveConditional(
  reference: string,
  ctx: FhirContext,
  cache: Map<string, string>,
): Promise<string> {
  const cached = cache.get(reference);
  if (cached !== undefined) return cached;
  const q = reference.indexOf('?');
  const type = reference.slice(0, q);
  if (!ctx.resourceTypes.has(type))
    throw new AppError('invalid', `Unknown type in reference ${safe(reference)}`);
  const matches = await findMatches(ctx, type, conditionFrom(reference.slice(q + 1)));
  const match = matches[0];
  if (!match || matches.length > 1) {
    const found = matches.length > 1 ? 'several resources' : 'no resource';
    throw new AppError(
      'invalid',
      `Conditional reference ${safe(reference)} matched ${found}; exactly one is required`,
    );
  }
  const target = `${type}/${match.id}`;
  cache.set(reference, target);
  return target;
}

function guard<T>(index: number, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw atEntry(index, err);
  }
}
