import type { AuditEvent, Bundle, BundleEntry, BundleLink, Patient } from '@medplum/fhirtypes';
import { AppError, type SearchRequest } from '@yiyun/fhir';
import { parseCount, parseOffset } from '../http/paging.ts';
import { searchByIds } from '../search-by-ids.ts';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.ts';

const PATIENT = /^(?:Patient\/)?([A-Za-z0-9\-.]{1,64})$/;

/** Every Patient the caller's access scope shows (a resident: their records at every institution). */
const OWN_PATIENTS: SearchRequest = {
  resourceType: 'Patient',
  filters: [],
  sort: [],
  count: 1000,
  offset: 0,
  total: 'none',
  include: [],
  revinclude: [],
  unknown: [],
};

/** Who may read which part of the audit trail: everything, one institution's, or a resident's own. */
async function auditScope(ctx: FhirContext): Promise<{ organization?: string; patients?: string[] }> {
  const authz = ctx.authorization;
  if (!authz || authz.reviewScope === 'all') return {};
  if (authz.reviewScope === 'organization') return { organization: authz.principal.organization ?? '' };
  if (authz.principal.roles.includes('resident')) {
    // Every Patient record of the resident's person, at any institution (the access scope finds
    // them), and the person itself (events of reads of the golden record name it).
    const own = await ctx.repo.search(OWN_PATIENTS);
    const persons = own.matches.flatMap((p) =>
      ((p as Patient).link ?? []).flatMap((l) => {
        const id = l.type === 'refer' ? PATIENT.exec(l.other?.reference ?? '')?.[1] : undefined;
        return id ? [id] : [];
      }),
    );
    return { patients: [...new Set([...own.matches.map((p) => p.id), ...persons])] };
  }
  throw new AppError('forbidden', 'Only administrators and the resident concerned may read the audit trail');
}

const AGENT_TYPES = ['Practitioner', 'PractitionerRole', 'Organization'];

/**
 * `_include=AuditEvent:agent`: the directory entries (practitioners, institutions) that name the
 * events' agents, so a resident's "who accessed my record" says 厦门市第一医院 · 王芳, not ids.
 */
async function agentEntries(ctx: FhirContext, events: readonly AuditEvent[]): Promise<BundleEntry[]> {
  if (!ctx.directory) return [];
  const refs = new Set(events.flatMap((e) => e.agent.map((a) => a.who?.reference ?? '')));
  const entries: BundleEntry[] = [];
  for (const type of AGENT_TYPES) {
    const ids = [...refs].filter((r) => r.startsWith(`${type}/`)).map((r) => r.slice(type.length + 1));
    if (ids.length === 0) continue;
    const found = await ctx.directory.search(searchByIds(type, ids));
    for (const r of found.matches)
      entries.push({
        fullUrl: `${ctx.config.baseUrl}/${type}/${r.id}`,
        resource: r,
        search: { mode: 'include' },
      });
  }
  return entries;
}

function dateBounds(query: URLSearchParams): { since?: Date; before?: Date } {
  const out: { since?: Date; before?: Date } = {};
  for (const raw of query.getAll('date')) {
    const m = /^(ge|gt|le|lt)?(\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)$/.exec(raw);
    const date = m ? new Date(m[2]!) : undefined;
    if (!m || !date || Number.isNaN(date.getTime()))
      throw new AppError('invalid', `date: not a date: ${raw}`);
    if (m[1] === 'lt' || m[1] === 'le') out.before = date;
    else out.since = date;
  }
  return out;
}

/**
 * `AuditEvent` read and search, served from the append-only audit log (IHE BALP events). Search
 * parameters: `patient`, `agent`, `date` (ge/lt), `outcome`, `_count`, `_offset`, and
 * `_include=AuditEvent:agent` (the practitioners and institutions acting). Read-only: the
 * trail is written by the platform alone.
 */
export async function auditEvents(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const source = ctx.auditEvents!;
  if (req.method !== 'GET' && req.method !== 'HEAD')
    throw new AppError('method-not-allowed', 'The audit trail is read-only');
  const scope = await auditScope(ctx);
  const id = req.parts[1];
  if (id !== undefined) {
    const event = req.parts.length === 2 ? await source.read(id) : undefined;
    const visible =
      event &&
      // The institution acted for is an agent of the event (BALP organisation agent).
      (scope.organization === undefined ||
        event.agent.some((a) => a.who?.reference === `Organization/${scope.organization}`)) &&
      (scope.patients === undefined ||
        event.entity?.some((e) => scope.patients!.some((p) => e.what?.reference === `Patient/${p}`)));
    if (!event || !visible) throw new AppError('not-found', `AuditEvent/${id} not found`);
    return { status: 200, body: event };
  }
  const asked = req.query
    .getAll('patient')
    .map((v) => PATIENT.exec(v)?.[1])
    .filter((v): v is string => v !== undefined);
  const patients = scope.patients
    ? asked.length
      ? asked.filter((p) => scope.patients!.includes(p))
      : scope.patients
    : asked;
  const count = parseCount(req.query, ctx.config);
  const offset = parseOffset(req.query);
  const agent = req.query.get('agent') ?? undefined;
  const outcome = req.query.getAll('outcome');
  const page = await source.search({
    ...(patients.length || scope.patients ? { patient: patients.length ? patients : ['-none-'] } : {}),
    ...(agent ? { agent } : {}),
    ...(scope.organization !== undefined ? { organization: scope.organization } : {}),
    ...(outcome.length ? { outcome } : {}),
    ...dateBounds(req.query),
    count,
    offset,
  });
  const self = `${ctx.config.baseUrl}/AuditEvent?${req.query.toString()}`;
  const link: BundleLink[] = [{ relation: 'self', url: self }];
  if (offset + count < page.total) {
    const next = new URLSearchParams(req.query);
    next.set('_offset', String(offset + count));
    link.push({ relation: 'next', url: `${ctx.config.baseUrl}/AuditEvent?${next}` });
  }
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    total: page.total,
    link,
    entry: [
      ...page.events.map((e) => ({
        fullUrl: `${ctx.config.baseUrl}/AuditEvent/${e.id}`,
        resource: e,
        search: { mode: 'match' as const },
      })),
      ...(req.query.getAll('_include').includes('AuditEvent:agent')
        ? await agentEntries(ctx, page.events)
        : []),
    ],
  };
  return { status: 200, body: bundle };
}
