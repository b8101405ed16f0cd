/**
 * The official R4 examples (npm `hl7.fhir.r4.examples`, 5,307 files) driven through the HTTP API:
 * each is written (PUT with its own id, so the examples' references resolve), read back and compared
 * ignoring `meta`; then, for every (type, search parameter) the examples' data uses, one search for
 * one example that carries a value of it must find that example.
 * Shared by the integration test and `npm run conformance`, which writes docs/conformance.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { extractIndexEntries, type IndexValue, type SearchParamRegistry } from '@yiyun/fhir';

export interface ExampleFile {
  readonly name: string;
  readonly resource: Resource;
}

export function loadOfficialExamples(): ExampleFile[] {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('hl7.fhir.r4.examples/package.json'));
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json') && n !== 'package.json' && !n.startsWith('.'))
    .sort()
    .map((name) => ({ name, resource: JSON.parse(readFileSync(join(dir, name), 'utf8')) as Resource }));
}

export type Call = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: unknown }>;

export interface Rejection {
  readonly name: string;
  readonly status: number;
  readonly reason: string;
}

export interface ExamplesReport {
  readonly total: number;
  readonly accepted: number;
  readonly rejected: readonly Rejection[];
  /** Accepted but not read back equal. */
  readonly mismatched: readonly string[];
  readonly searches: {
    readonly attempted: number;
    readonly found: number;
    readonly misses: readonly string[];
  };
}

/** JSON with object keys sorted (jsonb does not keep key order) and `meta` dropped at the top. */
function canonical(resource: unknown): string {
  const { meta: _meta, ...rest } = resource as Record<string, unknown>;
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(rest));
}

function firstDiagnostics(body: unknown): string {
  const issue = (body as { issue?: { diagnostics?: string; details?: { text?: string } }[] })?.issue?.[0];
  return (issue?.diagnostics ?? issue?.details?.text ?? 'no diagnostics').slice(0, 200);
}

async function writeAndReadBack(file: ExampleFile, call: Call) {
  const r = file.resource;
  const written = r.id
    ? await call('PUT', `${r.resourceType}/${encodeURIComponent(r.id)}`, r)
    : await call('POST', r.resourceType, r);
  if (written.status >= 300)
    return { rejected: { name: file.name, status: written.status, reason: firstDiagnostics(written.body) } };
  const id = (written.body as Resource | undefined)?.id ?? r.id;
  const read = await call('GET', `${r.resourceType}/${id}`);
  const equal = canonical({ ...(read.body as object), id: r.id }) === canonical(r);
  return { id: id!, equal };
}

/** Escapes `\ , | $` in a search value (http://hl7.org/fhir/R4/search.html#escaping). */
function esc(value: string): string {
  return value.replace(/[\\,|$]/g, (c) => `\\${c}`);
}

function finite(v: string | null | undefined): v is string {
  return !!v && v !== '-infinity' && v !== 'infinity' && v !== '-Infinity' && v !== 'Infinity';
}

/** A query that must match a resource carrying `value`, or undefined when none can be written. */
export function queryFor(code: string, value: IndexValue, target?: readonly string[]): string[] | undefined {
  const q = (v: string) => [`${code}=${encodeURIComponent(v)}`];
  switch (value.kind) {
    case 'token':
      if (value.code === null) return undefined;
      return q(value.system ? `${esc(value.system)}|${esc(value.code)}` : esc(value.code));
    case 'string':
      return value.exact ? [`${code}:exact=${encodeURIComponent(esc(value.exact))}`] : undefined;
    case 'date': {
      const parts: string[] = [];
      if (finite(value.low)) parts.push(`${code}=ge${encodeURIComponent(value.low)}`);
      if (finite(value.high)) parts.push(`${code}=lt${encodeURIComponent(value.high)}`);
      return parts.length ? parts : undefined;
    }
    case 'number':
      return finite(value.value) ? q(value.value) : undefined;
    case 'quantity':
      if (!finite(value.value)) return undefined;
      return q(value.code ? `${value.value}|${esc(value.system ?? '')}|${esc(value.code)}` : value.value);
    case 'reference':
      // Some examples reference types their parameter does not allow (e.g. Bundle.composition to a
      // DiagnosticReport): such a search is rightly refused, so it is not a test of the index.
      if (value.targetType && value.targetId) {
        return target && !target.includes(value.targetType)
          ? undefined
          : q(`${value.targetType}/${value.targetId}`);
      }
      return value.url && !value.url.startsWith('#') ? q(esc(value.url)) : undefined;
    case 'uri':
      return q(esc(value.value));
    case 'composite':
      return undefined;
  }
}

async function searchHits(accepted: readonly Resource[], registry: SearchParamRegistry, call: Call) {
  const tried = new Set<string>();
  let attempted = 0;
  let found = 0;
  const misses: string[] = [];
  for (const resource of accepted) {
    for (const entry of extractIndexEntries(resource, registry)) {
      const key = `${resource.resourceType}.${entry.param}`;
      if (tried.has(key)) continue;
      const query = queryFor(
        entry.param,
        entry.value,
        registry.get(resource.resourceType, entry.param)?.target,
      );
      if (!query) continue;
      tried.add(key);
      attempted++;
      const url = `${resource.resourceType}?_id=${encodeURIComponent(resource.id!)}&${query.join('&')}&_count=1`;
      const result = await call('GET', url);
      const hit = (result.body as { entry?: unknown[] } | undefined)?.entry?.length === 1;
      if (hit) found++;
      else misses.push(`${key}: ${decodeURIComponent(query.join('&'))} (HTTP ${result.status})`);
    }
  }
  return { attempted, found, misses };
}

export async function runExamples(
  files: readonly ExampleFile[],
  registry: SearchParamRegistry,
  call: Call,
): Promise<ExamplesReport> {
  const rejected: Rejection[] = [];
  const mismatched: string[] = [];
  const accepted: Resource[] = [];
  for (const file of files) {
    const result = await writeAndReadBack(file, call);
    if ('rejected' in result) {
      rejected.push(result.rejected!);
      continue;
    }
    if (!result.equal) mismatched.push(file.name);
    accepted.push({ ...file.resource, id: result.id });
  }
  const searches = await searchHits(accepted, registry, call);
  return { total: files.length, accepted: accepted.length, rejected, mismatched, searches };
}
