import type { TFunction } from 'i18next';

/**
 * An AuditEvent (IHE BALP shape, as the platform writes them) in plain words for the resident:
 * who (person, role, institution), did what (viewed, searched, changed …), to which kind of record,
 * when, and whether it was an emergency access (break-the-glass, purpose of use ETREAT).
 */

interface Ref {
  reference?: string;
  display?: string;
  identifier?: { value?: string };
}
interface Agent {
  who?: Ref;
  requestor?: boolean;
  role?: { coding?: { code?: string }[] }[];
  type?: { coding?: { code?: string }[] };
}
export interface AuditEventLike {
  meta?: { tag?: { code?: string }[] };
  resourceType: 'AuditEvent';
  id?: string;
  recorded?: string;
  action?: string;
  outcome?: string;
  purposeOfEvent?: { coding?: { code?: string }[] }[];
  agent?: Agent[];
  entity?: { what?: Ref; type?: { code?: string }; role?: { code?: string }; description?: string }[];
  subtype?: { code?: string; display?: string }[];
}

export interface AccessLine {
  readonly id: string;
  readonly when: string;
  /** Practitioner or account, as named by the directory when the resident may read it. */
  readonly who: string;
  /** A person (staff, the resident) or an integration system (a hospital's HIS, PACS …). */
  readonly agentKind: 'person' | 'system';
  readonly role?: string;
  /** The FHIR operation run (`everything`, `break-the-glass` …), for `execute`. */
  readonly operation?: string;
  readonly institution?: string;
  readonly action: 'read' | 'search' | 'create' | 'update' | 'delete' | 'execute';
  /** Resource types touched (Observation, ImagingStudy …), without ids. */
  readonly what: readonly string[];
  readonly emergency: boolean;
  readonly failed: boolean;
}

const ACTIONS: Readonly<Record<string, AccessLine['action']>> = {
  C: 'create',
  R: 'read',
  U: 'update',
  D: 'delete',
  E: 'execute',
};

export function accessLine(event: AuditEventLike, names: ReadonlyMap<string, string>): AccessLine {
  const user = event.agent?.find((a) => a.requestor) ?? event.agent?.[0];
  const org = event.agent?.find((a) => a.who?.reference?.startsWith('Organization/'))?.who?.reference;
  const whoRef = user?.who?.reference;
  // BALP: a person is an information recipient (IRCP); anything else acting is an application.
  const agentKind = user?.type?.coding?.some((c) => c.code === 'IRCP') ? 'person' : 'system';
  const who = (whoRef && names.get(whoRef)) || user?.who?.identifier?.value || '';
  const role = user?.role?.[0]?.coding?.[0]?.code;
  const isSearch = event.subtype?.some(
    (s) => s.code === 'search' || s.code === 'search-type' || s.code === 'search-system',
  );
  // Only the data entities (role 4, Domain Resource): not the request id, the query or the patient.
  const data = (event.entity ?? []).filter((e) => e.role?.code === '4');
  const what = [
    ...new Set(
      data.flatMap((e) => {
        const ref = e.what?.reference;
        if (ref && !ref.startsWith('Patient/')) return [ref.split('/')[0] ?? ''];
        return e.type?.code && /^[A-Z][A-Za-z]+$/.test(e.type.code) ? [e.type.code] : [];
      }),
    ),
  ].filter((w) => w && w !== 'Patient');
  const operation = data.map((e) => /^\$([a-z-]+)/.exec(e.description ?? '')?.[1]).find(Boolean);
  return {
    id: event.id ?? '',
    when: event.recorded ?? '',
    who,
    agentKind,
    ...(role ? { role } : {}),
    ...(operation ? { operation } : {}),
    ...(org ? { institution: names.get(org) ?? org.replace('Organization/', '') } : {}),
    action: isSearch ? 'search' : (ACTIONS[event.action ?? ''] ?? 'read'),
    what,
    emergency: (event.purposeOfEvent ?? []).some((p) => p.coding?.some((c) => c.code === 'ETREAT')),
    failed: event.outcome !== undefined && event.outcome !== '0',
  };
}

/** Display names of the directory resources a search bundle included (Practitioner, Organization). */
export function directoryNames(
  resources: readonly { resourceType: string; id?: string; name?: unknown }[],
): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of resources) {
    if (!r.id) continue;
    if (typeof r.name === 'string') names.set(`${r.resourceType}/${r.id}`, r.name);
    else if (Array.isArray(r.name)) {
      const n = r.name[0] as { text?: string; family?: string; given?: string[] } | undefined;
      const text = n?.text ?? `${n?.family ?? ''}${(n?.given ?? []).join('')}`;
      if (text) names.set(`${r.resourceType}/${r.id}`, text);
    }
  }
  return names;
}

/** Who, in plain words: 厦门市第一医院 · 王芳 · 医生, or 厦门市第一医院 · 接入系统 his-h1. */
export function agentText(line: AccessLine, t: TFunction): string {
  const who = line.agentKind === 'system' ? t('access.systemClient', { id: line.who }) : line.who;
  const role =
    line.agentKind === 'person' && line.role ? t(`roles.${line.role}`, { defaultValue: line.role }) : '';
  return [line.institution, who, role].filter(Boolean).join(' · ');
}

/** What, in plain words: 查看了 检验检查结果, 查看了 您的全部档案, 紧急授权访问 您的档案 … */
export function actionText(line: AccessLine, t: TFunction): string {
  if (line.action === 'execute' && line.operation) {
    return t(`access.op.${line.operation}`, {
      defaultValue: `${t('access.action.execute')} $${line.operation}`,
    });
  }
  const what =
    line.what.map((w) => t(`resource.${w}`, { defaultValue: w })).join('、') || t('access.yourRecord');
  return `${t(`access.action.${line.action}`)} ${what}`;
}

/** An audit search bundle with `_include=AuditEvent:agent`: each event in words, with the event. */
export function auditLines(bundle: {
  entry?: { resource?: { resourceType: string; id?: string; name?: unknown } }[];
}): { line: AccessLine; event: AuditEventLike }[] {
  const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  const names = directoryNames(resources.filter((r) => r.resourceType !== 'AuditEvent'));
  return resources
    .filter((r) => r.resourceType === 'AuditEvent')
    .map((r) => ({ line: accessLine(r as AuditEventLike, names), event: r as AuditEventLike }));
}
