/**
 * Import worker: parses, validates, indexes and serialises a chunk of NDJSON lines for COPY, so that
 * bulk import uses every core while the main thread feeds PostgreSQL. One validator and registry per
 * worker, built once.
 */
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import type { Resource, SearchParameter } from '@medplum/fhirtypes';
import { createSearchParamRegistry, createValidator, type SensitivityRule } from '@yiyun/fhir';
import { indexResource, labelForStorage } from '../indexing/index-resource.ts';
import { type PendingCreate, stamp } from '../repository/writes.ts';
import { buildCopyPayload } from './copy-writer.ts';
import { parseAndValidate } from './parse-line.ts';

export interface PrepareRequest {
  readonly seq: number;
  readonly lines: readonly { readonly text: string; readonly line: number }[];
  /** One pre-allocated rid per line (unused ones are simply skipped in the sequence). */
  readonly rids: readonly string[];
  readonly now: string;
}

export interface PreparedChunk {
  readonly seq: number;
  /** `Type/id` of every valid resource, in order, to check against existing rows. */
  readonly keys: readonly string[];
  /** Index into the request's lines of every valid resource (for the slow path). */
  readonly valid: readonly number[];
  readonly failures: readonly { readonly line: number; readonly message: string }[];
  readonly resource: string;
  readonly index: readonly [string, string][];
  readonly access: readonly [string, string][];
}

const port = parentPort;
if (!port) throw new Error('prepare-worker must run in a worker thread');
const { customParams, sensitivityRules } = workerData as {
  customParams: SearchParameter[];
  sensitivityRules?: SensitivityRule[];
};
const rules = { registry: createSearchParamRegistry(customParams), sensitivityRules };
const validator = createValidator();

port.on('message', (request: PrepareRequest) => {
  const fresh: PendingCreate[] = [];
  const keys: string[] = [];
  const valid: number[] = [];
  const failures: { line: number; message: string }[] = [];
  request.lines.forEach(({ text, line }, i) => {
    const parsed = parseAndValidate(text, (r) => validator.assertValid(r));
    if (typeof parsed === 'string') {
      failures.push({ line, message: parsed });
      return;
    }
    const resource = parsed as Resource;
    const id = resource.id ?? randomUUID();
    const stored = stamp(labelForStorage(resource, rules), id, 1, request.now);
    fresh.push({ resource: stored, ...indexResource(stored, rules) });
    keys.push(`${stored.resourceType}/${id}`);
    valid.push(i);
  });
  const payload = buildCopyPayload(fresh, request.rids.slice(0, fresh.length));
  const chunk: PreparedChunk = {
    seq: request.seq,
    keys,
    valid,
    failures,
    resource: payload.resource,
    index: [...payload.index],
    access: [...payload.access],
  };
  port.postMessage(chunk);
});
port.postMessage({ ready: true });
