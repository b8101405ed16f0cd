import type { Endpoint, Identifier, ImagingStudy, ImagingStudySeries, Reference } from '@medplum/fhirtypes';
import { withCustodian } from '@yiyun/fhir';
import type { SeriesSummary, StudySummary } from '../service/records-port.ts';

/** ImagingStudy.identifier for a StudyInstanceUID (FHIR R4 ImagingStudy notes: `urn:dicom:uid`, `urn:oid:` value). */
export const DICOM_UID_SYSTEM = 'urn:dicom:uid';
export const DCM_SYSTEM = 'http://dicom.nema.org/resources/ontology/DCM';
const RFC3986 = 'urn:ietf:rfc:3986';
const IDENTIFIER_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0203';

export function studyIdentifier(studyUid: string): Identifier {
  return { system: DICOM_UID_SYSTEM, value: `urn:oid:${studyUid}` };
}

/** The StudyInstanceUID an ImagingStudy names, if any. */
export function studyUidOfResource(study: ImagingStudy): string | undefined {
  const value = study.identifier?.find((i) => i.system === DICOM_UID_SYSTEM)?.value;
  return value?.startsWith('urn:oid:') ? value.slice('urn:oid:'.length) : undefined;
}

/** `+0800` → `+08:00`; anything else → the fallback. */
function offset(timezone: string | undefined, fallback: string): string {
  const m = /^([+-])(\d{2})(\d{2})$/.exec(timezone ?? '');
  return m ? `${m[1]}${m[2]}:${m[3]}` : fallback;
}

/** DICOM date + time (local, PS3.5 §6.2) as a FHIR dateTime; a time needs a zone in FHIR, hence the offset. */
export function fhirDateTime(
  date: string | undefined,
  time: string | undefined,
  zone: string,
): string | undefined {
  if (!date) return undefined;
  if (!time) return date;
  const [hms, frac] = time.split('.');
  const fraction = frac && /[1-9]/.test(frac) ? `.${frac.replace(/0+$/, '')}` : '';
  return `${date}T${hms}${fraction}${zone}`;
}

function seriesEntry(s: SeriesSummary, zone: string): ImagingStudySeries {
  const started = fhirDateTime(s.seriesDate, s.seriesTime, zone);
  return {
    uid: s.uid,
    ...(s.number !== undefined ? { number: s.number } : {}),
    // R4 requires a series modality; OT (other) when the instance had none.
    modality: { system: DCM_SYSTEM, code: s.modality ?? 'OT' },
    ...(s.description ? { description: s.description } : {}),
    numberOfInstances: s.numberOfInstances,
    ...(s.bodyPart ? { bodySite: { display: s.bodyPart } } : {}),
    ...(started ? { started } : {}),
    instance: s.instances.map((i) => ({
      uid: i.uid,
      sopClass: { system: RFC3986, code: `urn:oid:${i.sopClass}` },
      ...(i.number !== undefined ? { number: i.number } : {}),
    })),
  };
}

function identifiers(existing: readonly Identifier[], summary: StudySummary): Identifier[] {
  const isAccession = (i: Identifier) => i.type?.coding?.some((c) => c.code === 'ACSN') === true;
  const kept = existing.filter(
    (i) => i.system !== DICOM_UID_SYSTEM && !(summary.accession && isAccession(i)),
  );
  const accession: Identifier[] = summary.accession
    ? [{ type: { coding: [{ system: IDENTIFIER_TYPE, code: 'ACSN' }] }, value: summary.accession }]
    : [];
  return [studyIdentifier(summary.studyUid), ...accession, ...kept];
}

export interface StudyResourceInput {
  readonly summary: StudySummary;
  readonly patientId: string;
  readonly organization: string;
  /** UTC offset for DICOM times without TimezoneOffsetFromUTC (`+08:00`). */
  readonly timezone: string;
  /** `Endpoint/<id>` of the platform's DICOMweb service, listed in ImagingStudy.endpoint. */
  readonly endpoint?: string;
}

/**
 * The ImagingStudy for an index summary, merged into the existing resource: what DICOM says
 * (identifiers, subject, dates, modalities, counts, series and instances) replaces the old
 * values, everything else (encounter, procedure codes, notes, endpoint …) is kept.
 */
export function imagingStudyResource(
  existing: ImagingStudy | undefined,
  input: StudyResourceInput,
): ImagingStudy {
  const { summary, patientId, organization } = input;
  const zone = offset(summary.timezoneOffset, input.timezone);
  const started = fhirDateTime(summary.studyDate, summary.studyTime, zone);
  const base: ImagingStudy = existing ?? { resourceType: 'ImagingStudy', status: 'available', subject: {} };
  const study: ImagingStudy = {
    ...base,
    identifier: identifiers(base.identifier ?? [], summary),
    status: 'available',
    modality: summary.modalities.map((code) => ({ system: DCM_SYSTEM, code })),
    subject: { reference: `Patient/${patientId}` },
    ...(started ? { started } : {}),
    ...(summary.referringPhysician ? { referrer: { display: summary.referringPhysician } } : {}),
    numberOfSeries: summary.numberOfSeries,
    numberOfInstances: summary.numberOfInstances,
    ...(summary.description ? { description: summary.description } : {}),
    series: summary.series.map((s) => seriesEntry(s, zone)),
    ...(input.endpoint ? { endpoint: withEndpoint(base.endpoint ?? [], input.endpoint) } : {}),
  };
  return withCustodian(study, organization);
}

/** The study's endpoints with the platform's DICOMweb one (FHIR → images: ImagingStudy.endpoint). */
function withEndpoint(endpoints: readonly Reference<Endpoint>[], reference: string): Reference<Endpoint>[] {
  return endpoints.some((e) => e.reference === reference)
    ? [...endpoints]
    : [...endpoints, { reference: reference as `Endpoint/${string}` }];
}

/** The existing ImagingStudy lists more instances, including every one of the summary's: a later write got there first. */
export function isFuller(existing: ImagingStudy, summary: StudySummary): boolean {
  const listed = new Set((existing.series ?? []).flatMap((s) => (s.instance ?? []).map((i) => i.uid)));
  if (listed.size <= summary.numberOfInstances) return false;
  return summary.series.every((s) => s.instances.every((i) => listed.has(i.uid)));
}

/** Same content apart from meta (no write needed). */
export function sameContent(a: ImagingStudy, b: ImagingStudy): boolean {
  const strip = ({ meta: _meta, ...rest }: ImagingStudy) => rest;
  return (
    JSON.stringify(strip(a)) === JSON.stringify(strip(b)) &&
    JSON.stringify(a.meta?.tag) === JSON.stringify(b.meta?.tag)
  );
}
