import type { AuditEvent, AuditEventAgent, AuditEventEntity } from '@medplum/fhirtypes';
import { KIND_CODES, type KindCodes, OUTCOME_CODES, SYSTEMS } from './codes.ts';
import type { AuditEntity, AuditRecord } from './record.ts';
import { redactQuery, scrubText } from './redact.ts';

/** The server that records events: AuditEvent.source and the BALP server agent. */
export interface AuditSource {
  /** Name of this platform or node, e.g. `yiyun`. */
  readonly node: string;
  /** Where it runs (host name or base URL): AuditEvent.source.site and the server agent's network. */
  readonly site?: string;
}

/** AuditEvent.agent.who: also assignable to AuditEvent.source.observer. */
type AgentReference = NonNullable<AuditEventAgent['who']>;

const PERSON_TYPES = new Set(['Practitioner', 'PractitionerRole', 'Patient', 'RelatedPerson']);
const MAX_TEXT = 1024;

/** Text safe for an audit event: well-formed, no NUL (jsonb refuses it), no ID or phone numbers. */
function safeText(text: string, max = MAX_TEXT): string {
  return scrubText(text.toWellFormed().replaceAll('\u0000', '')).slice(0, max);
}

/** The account as events and the `account` column hold it (a login name typed as a phone is masked). */
export function safeAccount(account: string | undefined): string | undefined {
  return account === undefined ? undefined : safeText(account, 128);
}

function nodeReference(source: AuditSource): AgentReference {
  return { identifier: { system: SYSTEMS.node, value: safeText(source.node, 64) }, display: source.node };
}

function isPerson(who: string | undefined): boolean {
  return who !== undefined && PERSON_TYPES.has(who.split('/')[0] ?? '');
}

function purposeOf(record: AuditRecord) {
  return record.purposeOfUse
    ? [{ coding: [{ system: SYSTEMS.actReason, code: record.purposeOfUse }] }]
    : undefined;
}

/** BALP agent[user]: the person (or account) who asked; the requestor. */
function userAgent(record: AuditRecord): AuditEventAgent | undefined {
  const { account, who, roles } = record.agent;
  const personWho = isPerson(who) ? who : undefined;
  if (account === undefined && personWho === undefined) return undefined;
  const accountId = safeAccount(account);
  return {
    type: { coding: [{ system: SYSTEMS.participation, code: 'IRCP', display: 'information recipient' }] },
    who: personWho ? { reference: personWho } : { identifier: { system: SYSTEMS.account, value: accountId } },
    ...(personWho && accountId ? { altId: accountId } : {}),
    ...(roles?.length ? { role: roles.map((r) => ({ coding: [{ system: SYSTEMS.role, code: r }] })) } : {}),
    requestor: true,
    ...(record.purposeOfUse ? { purposeOfUse: purposeOf(record) } : {}),
  };
}

/** BALP agent[client]: the application, with the network address the request came from. */
function clientAgent(
  record: AuditRecord,
  codes: KindCodes,
  isRequestor: boolean,
): AuditEventAgent | undefined {
  const { clientId, who, address, userAgent: ua } = record.agent;
  const deviceWho = who !== undefined && !isPerson(who) ? who : undefined;
  if (clientId === undefined && deviceWho === undefined && address === undefined) return undefined;
  const type =
    codes.family === 'security'
      ? { system: SYSTEMS.dicom, code: '110150', display: 'Application' }
      : codes.clientIsSource
        ? { system: SYSTEMS.dicom, code: '110153', display: 'Source Role ID' }
        : { system: SYSTEMS.dicom, code: '110152', display: 'Destination Role ID' };
  const whoRef: AgentReference = {
    ...(deviceWho ? { reference: deviceWho } : {}),
    ...(clientId ? { identifier: { system: SYSTEMS.client, value: safeText(clientId, 128) } } : {}),
    ...(ua ? { display: safeText(ua, 256) } : {}),
  };
  return {
    type: { coding: [type] },
    ...(Object.keys(whoRef).length ? { who: whoRef } : {}),
    requestor: isRequestor,
    ...(address ? { network: { address: safeText(address, 64), type: '2' as const } } : {}),
  };
}

/** BALP agent[server] (REST) or agent[authorizer] (security events): this platform. */
function serverAgent(codes: KindCodes, source: AuditSource): AuditEventAgent {
  const type =
    codes.family === 'security'
      ? { system: SYSTEMS.securityRole, code: 'authserver', display: 'authorization server' }
      : codes.clientIsSource
        ? { system: SYSTEMS.dicom, code: '110152', display: 'Destination Role ID' }
        : { system: SYSTEMS.dicom, code: '110153', display: 'Source Role ID' };
  return {
    type: { coding: [type] },
    who: nodeReference(source),
    requestor: false,
    ...(source.site ? { network: { address: safeText(source.site, 256), type: '1' as const } } : {}),
  };
}

/** BALP agent[userorg]: the institution the user acted for. */
function organizationAgent(record: AuditRecord): AuditEventAgent | undefined {
  const { organization } = record.agent;
  if (organization === undefined) return undefined;
  return {
    type: { coding: [{ system: SYSTEMS.roleClass, code: 'PROV', display: 'healthcare provider' }] },
    who: { reference: `Organization/${organization}` },
    requestor: false,
  };
}

const SYSTEM_OBJECT = { system: SYSTEMS.entityType, code: '2', display: 'System Object' };

function dataEntities(entity: AuditEntity): AuditEventEntity[] {
  const out: AuditEventEntity[] = [];
  const description = entity.description === undefined ? undefined : safeText(entity.description);
  if (entity.reference !== undefined) {
    const isInstance = entity.reference.includes('/');
    out.push({
      ...(isInstance ? { what: { reference: entity.reference } } : {}),
      type: isInstance ? SYSTEM_OBJECT : { system: SYSTEMS.resourceTypes, code: entity.reference },
      role: { system: SYSTEMS.objectRole, code: '4', display: 'Domain Resource' },
      ...(description && entity.query === undefined ? { description } : {}),
    });
  }
  if (entity.query !== undefined) {
    // BALP Query: the query as asked, base64; here with identifying values redacted first.
    const query = safeText(redactQuery(entity.query), 4096);
    out.push({
      type: SYSTEM_OBJECT,
      role: { system: SYSTEMS.objectRole, code: '24', display: 'Query' },
      query: Buffer.from(query, 'utf8').toString('base64'),
      description: description ?? query,
    });
  }
  if (entity.reference === undefined && entity.query === undefined && description)
    out.push({ type: SYSTEM_OBJECT, description });
  return out;
}

function entities(record: AuditRecord): AuditEventEntity[] {
  const out: AuditEventEntity[] = [];
  if (record.requestId !== undefined)
    out.push({
      what: { identifier: { value: safeText(record.requestId, 128) } },
      type: { system: SYSTEMS.balpEntityType, code: 'XrequestId' },
    });
  for (const id of uniquePatients(record))
    out.push({
      what: { reference: `Patient/${id}` },
      type: { system: SYSTEMS.entityType, code: '1', display: 'Person' },
      role: { system: SYSTEMS.objectRole, code: '1', display: 'Patient' },
    });
  for (const entity of record.entities ?? []) out.push(...dataEntities(entity));
  return out;
}

export function uniquePatients(record: AuditRecord): string[] {
  return [...new Set(record.patients ?? [])].sort();
}

/**
 * The FHIR R4 AuditEvent for a record, in the IHE BALP shape, without `id` and `meta` (the log
 * assigns those when it stores the event). References only: no names, ID numbers or phones.
 */
export function toAuditEvent(record: AuditRecord, source: AuditSource, now = new Date()): AuditEvent {
  const codes = KIND_CODES[record.kind];
  const recorded = (record.recorded ?? now).toISOString();
  const user = userAgent(record);
  const agents = [
    user,
    clientAgent(record, codes, user === undefined),
    serverAgent(codes, source),
    organizationAgent(record),
  ].filter((a): a is AuditEventAgent => a !== undefined);
  const entity = entities(record);
  return {
    resourceType: 'AuditEvent',
    ...(record.reviewRequired
      ? { meta: { tag: [{ system: SYSTEMS.auditTag, code: 'review-required', display: 'Review required' }] } }
      : {}),
    type: codes.type,
    ...(codes.subtype ? { subtype: [codes.subtype] } : {}),
    action: codes.action,
    ...(record.started ? { period: { start: record.started.toISOString(), end: recorded } } : {}),
    recorded,
    outcome: OUTCOME_CODES[record.outcome],
    ...(record.description ? { outcomeDesc: safeText(record.description) } : {}),
    ...(record.purposeOfUse ? { purposeOfEvent: purposeOf(record) } : {}),
    agent: agents,
    source: {
      ...(source.site ? { site: safeText(source.site, 256) } : {}),
      observer: nodeReference(source),
      type: [{ system: SYSTEMS.sourceType, code: '4', display: 'Application Server' }],
    },
    ...(entity.length ? { entity } : {}),
  };
}
