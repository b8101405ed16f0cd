/**
 * The regional record as a timeline: every resource of a person's `$everything` bundle (all the
 * institutions' records the viewer may see) as one dated entry, badged with the institution that
 * holds it (the custodian of the Patient record it is filed under).
 */

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
export interface CodeableConcept {
  text?: string;
  coding?: Coding[];
}
export interface Reference {
  reference?: string;
  display?: string;
}
export interface Quantity {
  value?: number;
  unit?: string;
}
/** The fields of FHIR R4 resources the portal reads (a structural subset). */
export interface AnyResource {
  resourceType: string;
  id?: string;
  meta?: { lastUpdated?: string; security?: Coding[]; tag?: Coding[] };
  [field: string]: unknown;
}
export interface Bundle {
  resourceType: 'Bundle';
  entry?: { resource?: AnyResource; search?: { mode?: string } }[];
}

export const ENTRY_KINDS = [
  'encounter',
  'condition',
  'observation',
  'report',
  'imaging',
  'immunization',
  'medication',
  'procedure',
  'allergy',
  'document',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

const KIND_OF: Readonly<Record<string, EntryKind>> = {
  Encounter: 'encounter',
  Condition: 'condition',
  Observation: 'observation',
  DiagnosticReport: 'report',
  ImagingStudy: 'imaging',
  Immunization: 'immunization',
  MedicationRequest: 'medication',
  MedicationStatement: 'medication',
  MedicationAdministration: 'medication',
  MedicationDispense: 'medication',
  Procedure: 'procedure',
  AllergyIntolerance: 'allergy',
  DocumentReference: 'document',
  Composition: 'document',
};

export interface TimelineEntry {
  /** `Type/id`, unique in the record. */
  readonly key: string;
  readonly kind: EntryKind;
  /** ISO date or date-time; '' when the resource carries none. */
  readonly date: string;
  readonly title: string;
  readonly detail: string;
  /** `Organization/<id>` of the holding institution, when known. */
  readonly institution?: string;
  /** DICOM Study Instance UID of an imaging entry (opens the viewer). */
  readonly studyUid?: string;
  readonly resource: AnyResource;
}

export interface RegionalRecord {
  readonly entries: readonly TimelineEntry[];
  /** Institution id → name, for badges and the filter. */
  readonly institutions: ReadonlyMap<string, string>;
  /** The person's Patient records the viewer may see (one per institution). */
  readonly records: readonly AnyResource[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
function obj<T>(v: unknown): T | undefined {
  return v && typeof v === 'object' ? (v as T) : undefined;
}

export function conceptText(c: CodeableConcept | undefined): string {
  if (!c) return '';
  return c.text ?? c.coding?.find((x) => x.display)?.display ?? c.coding?.[0]?.code ?? '';
}

/** A quantity as text, e.g. `6.1 mmol/L`. */
function quantityText(q: Quantity | undefined): string {
  if (q?.value === undefined) return '';
  return `${q.value}${q.unit ? ` ${q.unit}` : ''}`;
}

function observationValue(r: AnyResource): string {
  const q = obj<Quantity>(r['valueQuantity']);
  if (q) return quantityText(q);
  const components =
    (r['component'] as { code?: CodeableConcept; valueQuantity?: Quantity }[] | undefined) ?? [];
  const parts = components.map((c) => c.valueQuantity?.value).filter((v) => v !== undefined);
  if (parts.length) return `${parts.join('/')} ${components[0]?.valueQuantity?.unit ?? ''}`.trim();
  return str(r['valueString']) ?? conceptText(obj(r['valueCodeableConcept']));
}

function dateOf(r: AnyResource): string {
  const period = obj<{ start?: string }>(r['period']) ?? obj<{ start?: string }>(r['effectivePeriod']);
  return (
    str(r['effectiveDateTime']) ??
    str(r['occurrenceDateTime']) ??
    str(r['started']) ??
    str(r['onsetDateTime']) ??
    str(r['recordedDate']) ??
    str(r['authoredOn']) ??
    str(r['performedDateTime']) ??
    str(r['issued']) ??
    str(r['date']) ??
    period?.start ??
    obj<{ start?: string }>(r['performedPeriod'])?.start ??
    ''
  );
}

function describe(r: AnyResource): { title: string; detail: string; studyUid?: string } {
  switch (r.resourceType) {
    case 'Encounter': {
      const type = (r['type'] as CodeableConcept[] | undefined)?.[0];
      const reason = (r['reasonCode'] as CodeableConcept[] | undefined)?.[0];
      return {
        title: conceptText(type) || (obj<Coding>(r['class'])?.display ?? obj<Coding>(r['class'])?.code ?? ''),
        detail: conceptText(reason),
      };
    }
    case 'Condition': {
      const code = obj<CodeableConcept>(r['code']);
      const icd = code?.coding?.find((c) => c.system?.includes('icd'))?.code;
      return { title: conceptText(code), detail: icd ?? '' };
    }
    case 'Observation':
      return { title: conceptText(obj(r['code'])), detail: observationValue(r) };
    case 'DiagnosticReport':
      return { title: conceptText(obj(r['code'])), detail: str(r['conclusion']) ?? '' };
    case 'ImagingStudy': {
      const uid = (r['identifier'] as { system?: string; value?: string }[] | undefined)
        ?.find((i) => i.system === 'urn:dicom:uid')
        ?.value?.replace(/^urn:oid:/, '');
      const modality = (r['modality'] as Coding[] | undefined)?.map((m) => m.code).join('/') ?? '';
      return {
        title:
          str(r['description']) ?? conceptText((r['procedureCode'] as CodeableConcept[] | undefined)?.[0]),
        detail: modality,
        ...(uid ? { studyUid: uid } : {}),
      };
    }
    case 'Immunization':
      return { title: conceptText(obj(r['vaccineCode'])), detail: str(r['lotNumber']) ?? '' };
    case 'MedicationRequest':
    case 'MedicationStatement':
    case 'MedicationAdministration':
    case 'MedicationDispense': {
      const dosage = (r['dosageInstruction'] as { text?: string }[] | undefined)?.[0]?.text ?? '';
      return {
        title:
          conceptText(obj(r['medicationCodeableConcept'])) ||
          (obj<Reference>(r['medicationReference'])?.display ?? ''),
        detail: dosage,
      };
    }
    case 'Procedure':
      return { title: conceptText(obj(r['code'])), detail: '' };
    case 'AllergyIntolerance':
      return { title: conceptText(obj(r['code'])), detail: str(r['criticality']) ?? '' };
    default:
      return {
        title: conceptText(obj(r['type'])) || (str(r['title']) ?? str(r['description']) ?? ''),
        detail: '',
      };
  }
}

const subjectOf = (r: AnyResource): string | undefined =>
  obj<Reference>(r['subject'])?.reference ?? obj<Reference>(r['patient'])?.reference;

/** Builds the timeline, newest first, from a person's `$everything` bundle. */
export function buildRecord(bundle: Bundle): RegionalRecord {
  const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  const institutions = new Map<string, string>();
  for (const r of resources)
    if (r.resourceType === 'Organization' && r.id) institutions.set(r.id, str(r['name']) ?? r.id);
  const records = resources.filter(
    (r) => r.resourceType === 'Patient' && !r.meta?.tag?.some((t) => t.code === 'golden'),
  );
  const holder = new Map<string, string>();
  for (const p of records) {
    const org = obj<Reference>(p['managingOrganization'])?.reference;
    if (p.id && org) holder.set(`Patient/${p.id}`, org);
  }
  const entries: TimelineEntry[] = [];
  for (const r of resources) {
    const kind = KIND_OF[r.resourceType];
    if (!kind || !r.id) continue;
    const subject = subjectOf(r);
    const institution =
      (subject ? holder.get(subject) : undefined) ??
      obj<Reference>(r['serviceProvider'])?.reference ??
      obj<Reference>(r['performer'])?.reference;
    entries.push({
      key: `${r.resourceType}/${r.id}`,
      kind,
      date: dateOf(r),
      ...describe(r),
      ...(institution ? { institution } : {}),
      resource: r,
    });
  }
  entries.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.key.localeCompare(b.key)));
  return { entries, institutions, records };
}

export interface TimelineFilter {
  readonly kinds: ReadonlySet<EntryKind>;
  readonly institution?: string;
  /** Entries on or after this ISO date. */
  readonly since?: string;
}

export function filterEntries(entries: readonly TimelineEntry[], f: TimelineFilter): TimelineEntry[] {
  return entries.filter(
    (e) =>
      (f.kinds.size === 0 || f.kinds.has(e.kind)) &&
      (!f.institution || e.institution === `Organization/${f.institution}`) &&
      (!f.since || e.date >= f.since),
  );
}

export interface InstitutionSummary {
  readonly id: string;
  readonly name: string;
  readonly entries: number;
  /** Date of the newest entry held there ('' when none is dated). */
  readonly latest: string;
}

/** 我的就诊机构: each institution holding entries of the record, most recently seen first. */
export function institutionSummaries(record: RegionalRecord): InstitutionSummary[] {
  const byId = new Map<string, { entries: number; latest: string }>();
  for (const id of record.institutions.keys()) byId.set(id, { entries: 0, latest: '' });
  for (const e of record.entries) {
    const id = e.institution?.replace(/^Organization\//, '');
    const s = id ? byId.get(id) : undefined;
    if (!s) continue;
    s.entries++;
    if (e.date > s.latest) s.latest = e.date;
  }
  // Institutions only referenced (a referral's destination, say) hold nothing of the record.
  return [...byId]
    .filter(([, s]) => s.entries > 0)
    .map(([id, s]) => ({ id, name: record.institutions.get(id) ?? id, ...s }))
    .sort((a, b) => b.latest.localeCompare(a.latest) || a.name.localeCompare(b.name, 'zh-CN'));
}
