import type { AuditKind, Interaction } from '@yiyun/auth';
import type { FhirRequest } from '../fhir/types.ts';

/** What a FHIR request does, as access control and audit see it. */
export interface Classified {
  /** SMART interaction letter; `none` for metadata and bundles (their entries are checked one by one). */
  readonly interaction: Interaction | 'none';
  /** The resource types it touches (`*` for system-wide reads and searches). */
  readonly types: readonly string[];
  readonly kind: AuditKind;
  /** `$name` for operations. */
  readonly operation?: string;
  /** `Type/id` of the instance, when there is one. */
  readonly reference?: string;
}

const WRITE: Readonly<Record<string, { interaction: Interaction; kind: AuditKind }>> = {
  POST: { interaction: 'c', kind: 'create' },
  PUT: { interaction: 'u', kind: 'update' },
  PATCH: { interaction: 'u', kind: 'patch' },
  DELETE: { interaction: 'd', kind: 'delete' },
};

function typesOf(query: URLSearchParams): string[] {
  const list = query
    .getAll('_type')
    .flatMap((v) => v.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  return list.length ? list : ['*'];
}

function operation(name: string, types: readonly string[], reference?: string): Classified {
  // Operations are audited even when no per-type interaction applies.
  const op = name.slice(1);
  const kind: AuditKind =
    op === 'export'
      ? 'export'
      : op === 'import'
        ? 'import'
        : op === 'break-the-glass'
          ? 'break-the-glass'
          : 'operation';
  // $validate checks a body; break-the-glass review is an admin's own check (role-gated in its handler).
  const interaction: Interaction | 'none' =
    op === 'validate' || op === 'break-the-glass-review' ? 'none' : 'r';
  return { interaction, types, kind, operation: op, ...(reference ? { reference } : {}) };
}

/** Classifies a request by method and path (http://hl7.org/fhir/R4/http.html#summary). */
export function classify(req: FhirRequest): Classified {
  const [first, second, third] = req.parts;
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  if (first === undefined) {
    if (method === 'POST') return { interaction: 'none', types: [], kind: 'operation', operation: 'bundle' };
    return { interaction: 's', types: typesOf(req.query), kind: 'search' };
  }
  if (first === 'metadata') return { interaction: 'none', types: [], kind: 'read' };
  if (first === '_history') return { interaction: 'r', types: ['*'], kind: 'history' };
  if (first === '_search') return { interaction: 's', types: typesOf(req.query), kind: 'search' };
  if (first.startsWith('$')) return operation(first, ['*']);
  if (second === undefined || second === '_search') {
    if (method === 'GET' || second === '_search') return { interaction: 's', types: [first], kind: 'search' };
    const write = WRITE[method];
    return write ? { ...write, types: [first] } : { interaction: 'none', types: [first], kind: 'operation' };
  }
  if (second === '_history') return { interaction: 'r', types: [first], kind: 'history' };
  if (second.startsWith('$')) return operation(second, [first]);
  const reference = `${first}/${second}`;
  if (third === undefined) {
    if (method === 'GET') return { interaction: 'r', types: [first], kind: 'read', reference };
    const write = WRITE[method];
    return write
      ? { ...write, types: [first], reference }
      : { interaction: 'none', types: [first], kind: 'operation', reference };
  }
  if (third === '_history')
    return { interaction: 'r', types: [first], kind: req.parts[3] ? 'vread' : 'history', reference };
  if (third.startsWith('$')) return operation(third, [first], reference);
  // Compartment search: Patient/123/Observation.
  return { interaction: 's', types: [third], kind: 'search', reference };
}
