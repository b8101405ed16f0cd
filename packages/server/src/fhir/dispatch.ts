import { AppError, toOperationOutcome } from '@yiyun/fhir';
import { capabilities } from './capabilities/handler.ts';
import { auditEvents } from './handlers/audit-events.ts';
import { processBundle } from './handlers/bundle.ts';
import { createResource } from './handlers/create.ts';
import { conditionalDelete, deleteResource } from './handlers/delete.ts';
import { history } from './handlers/history.ts';
import { invokeOperation } from './handlers/operation.ts';
import { conditionalPatch, patchResource } from './handlers/patch.ts';
import { readResource, vreadResource } from './handlers/read.ts';
import { searchResources } from './handlers/search.ts';
import { conditionalUpdate, updateResource } from './handlers/update.ts';
import { assertId } from './http/ids.ts';
import { safe } from './http/resource-body.ts';
import type { FhirContext, FhirHandler, FhirRequest, FhirResponse } from './types.ts';

type MethodTable = Readonly<Partial<Record<string, FhirHandler>>>;

/**
 * Routes a FHIR request to its interaction (http://hl7.org/fhir/R4/http.html#summary). Used by the
 * HTTP routes and, for each entry, by batch and transaction processing.
 */
export const dispatch: FhirHandler = (req, ctx) =>
  ctx.interceptor ? ctx.interceptor(req, () => route(req, ctx)) : route(req, ctx);

const route: FhirHandler = async (req, ctx) => {
  const [first, second, third] = req.parts;
  if (first === 'AuditEvent' && ctx.auditEvents) return auditEvents(req, ctx);
  if (first === undefined) return systemLevel(req, ctx);
  if (first === 'metadata' && req.parts.length === 1) return byMethod(req, ctx, { GET: capabilities });
  if (first === '_history' && req.parts.length === 1) return byMethod(req, ctx, { GET: history });
  if (first === '_search' && req.parts.length === 1) return byMethod(req, ctx, { POST: systemSearch });
  if (first.startsWith('$') && req.parts.length === 1) return invokeOperation(req, ctx, 'system');
  if (!ctx.resourceTypes.has(first)) throw new AppError('not-found', `Unknown resource type ${safe(first)}`);
  if (second === undefined) return byMethod(req, ctx, TYPE_LEVEL);
  if (second === '_search' && third === undefined)
    return byMethod(req, ctx, { POST: typeSearch, GET: typeSearch });
  if (second === '_history' && third === undefined) return byMethod(req, ctx, { GET: history });
  if (second.startsWith('$') && third === undefined) return invokeOperation(req, ctx, 'type');
  assertId(second);
  return instanceLevel(req, ctx);
};

function instanceLevel(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const [, , third, fourth] = req.parts;
  if (req.parts.length === 2) return byMethod(req, ctx, INSTANCE_LEVEL);
  if (third === '_history' && req.parts.length === 3) return byMethod(req, ctx, { GET: history });
  if (third === '_history' && fourth !== undefined && req.parts.length === 4) {
    return byMethod(req, ctx, { GET: vreadResource });
  }
  if (third?.startsWith('$') && req.parts.length === 3) return invokeOperation(req, ctx, 'instance');
  if (third !== undefined && req.parts.length === 3 && ctx.resourceTypes.has(third)) {
    return byMethod(req, ctx, { GET: compartmentSearch });
  }
  throw new AppError('not-found', 'No FHIR interaction at this path');
}

function systemLevel(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  return byMethod(req, ctx, { GET: systemSearch, POST: (r, c) => processBundle(r, c, dispatch) });
}

const TYPE_LEVEL: MethodTable = {
  GET: typeSearch,
  POST: createResource,
  PUT: conditionalUpdate,
  PATCH: conditionalPatch,
  DELETE: conditionalDelete,
};

const INSTANCE_LEVEL: MethodTable = {
  GET: readResource,
  PUT: updateResource,
  PATCH: patchResource,
  DELETE: deleteResource,
};

async function byMethod(req: FhirRequest, ctx: FhirContext, table: MethodTable): Promise<FhirResponse> {
  const handler = table[req.method === 'HEAD' ? 'GET' : req.method];
  if (handler) return handler(req, ctx);
  const allowed = Object.keys(table);
  if (allowed.includes('GET')) allowed.push('HEAD');
  // 405 must say what is allowed (RFC 9110 §15.5.6).
  const err = new AppError('method-not-allowed', `${safe(req.method)} is not allowed here`);
  return { status: err.status, body: toOperationOutcome(err), headers: { allow: allowed.join(', ') } };
}

function typeSearch(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const type = req.parts[0] ?? '';
  return searchResources(req, ctx, { resourceType: type, path: [type] });
}

function systemSearch(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  return searchResources(req, ctx, { resourceType: null, path: [] });
}

/** `GET [base]/Patient/123/Observation` (http://hl7.org/fhir/R4/http.html#vsearch). */
function compartmentSearch(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const [type = '', id = '', target = ''] = req.parts;
  return searchResources(req, ctx, {
    resourceType: target,
    compartment: { type, id },
    path: [type, id, target],
  });
}
