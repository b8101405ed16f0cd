import type { Bundle } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import { storeNew } from '../handlers/create.ts';
import { storeVersion } from '../handlers/update.ts';
import { atEntry, errorFromResponse } from '../http/errors.ts';
import { writeResponse } from '../http/write-response.ts';
import type { FhirContext, FhirHandler, FhirRequest, FhirResponse } from '../types.ts';
import { fullUrlOf, responseBundle } from './batch.ts';
import { toEntryRequest } from './entry-request.ts';
import { toResponseEntry } from './entry-response.ts';
import { orderEntries } from './order.ts';
import { planWrites, resolveReferences, type TxEntry } from './plan.ts';

/**
 * `transaction` (http://hl7.org/fhir/R4/http.html#transaction): all or nothing in one database
 * transaction. Order: DELETEs run first; then every POST/PUT is planned (ids assigned, conditional
 * entries matched), references are rewritten in one pass, and the writes and GETs run in spec order.
 */
export async function processTransaction(
  bundle: Bundle,
  req: FhirRequest,
  ctx: FhirContext,
  route: FhirHandler,
): Promise<FhirResponse> {
  const base = ctx.config.baseUrl;
  const entries: TxEntry[] = (bundle.entry ?? []).map((e, index) => {
    try {
      const entryReq = toEntryRequest(e, req, base);
      if (entryReq.parts.length === 0) throw new AppError('invalid', 'A bundle entry may not be a bundle');
      return { index, req: entryReq, ...(e.fullUrl === undefined ? {} : { fullUrl: e.fullUrl }) };
    } catch (err) {
      throw atEntry(index, err);
    }
  });
  const order = orderEntries(entries.map((e) => e.req.method));
  const responses = await ctx.repo.transaction(async (tx) => {
    const txCtx: FhirContext = { ...ctx, repo: tx };
    const out = new Map<number, FhirResponse>();
    for (const i of order) {
      const entry = entries[i];
      if (entry?.req.method === 'DELETE') out.set(i, await run(entry, txCtx, route));
    }
    const ids = await planWrites(entries, txCtx);
    await resolveReferences(entries, ids, txCtx);
    for (const i of order) {
      const entry = entries[i];
      if (entry && entry.req.method !== 'DELETE') out.set(i, await run(entry, txCtx, route));
    }
    return out;
  });
  const entry = entries.map((e) => {
    const res = responses.get(e.index) ?? { status: 500 };
    return toResponseEntry(res, fullUrlOf(res, base));
  });
  return { status: 200, body: responseBundle('transaction-response', entry) };
}

async function run(entry: TxEntry, ctx: FhirContext, route: FhirHandler): Promise<FhirResponse> {
  try {
    const res = await execute(entry, ctx, route);
    if (res.status >= 400) throw errorFromResponse(res);
    return res;
  } catch (err) {
    throw atEntry(entry.index, err);
  }
}

function execute(entry: TxEntry, ctx: FhirContext, route: FhirHandler): Promise<FhirResponse> {
  const plan = entry.plan;
  if (!plan) return route(entry.req, ctx);
  switch (plan.kind) {
    case 'existing':
      return Promise.resolve(writeResponse(entry.req, ctx, plan.resource, 200));
    case 'create':
      return storeNew(entry.req, ctx, plan.resource, plan.id);
    case 'update':
      return storeVersion(entry.req, ctx, plan.resource);
  }
}
