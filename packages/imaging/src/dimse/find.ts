import type { DicomJson, ImagingCaller, ImagingQuery, ImagingService, QueryLevel } from '../service/port.ts';
import { type IdentifierKey, responseIdentifier } from './identifier.ts';
import { DimseRefusal, Status } from './status-codes.ts';

/**
 * C-FIND SCP (PS3.4 §C.4.1) over the imaging service's query: Patient Root (PATIENT, STUDY, SERIES,
 * IMAGE) and Study Root (STUDY, SERIES, IMAGE) information models (PS3.4 §C.6.1, §C.6.2). Keys with
 * a value are matching keys, empty ones return keys (§C.2.2); the service applies the access rules.
 */
export type InformationModel = 'patient' | 'study';
export type FindLevel = 'patient' | QueryLevel;

const LEVELS: Readonly<Record<string, FindLevel>> = {
  PATIENT: 'patient',
  STUDY: 'study',
  SERIES: 'series',
  IMAGE: 'instance',
};

const QUERY_RETRIEVE_LEVEL = '00080052';
const SPECIFIC_CHARACTER_SET = '00080005';
const RETRIEVE_AE_TITLE = '00080054';
/** Attributes that describe the query or the answer rather than the data: never matching keys. */
const NOT_MATCHABLE = new Set([
  QUERY_RETRIEVE_LEVEL,
  SPECIFIC_CHARACTER_SET,
  RETRIEVE_AE_TITLE,
  '00080056', // Instance Availability
  '00081190', // Retrieve URL
  '00201200', // Number of Patient Related Studies
  '00201202', // … Series
  '00201204', // … Instances
  '00201206', // Number of Study Related Series
  '00201208', // … Instances
  '00201209', // Number of Series Related Instances
]);
const STUDY_UID = '0020000D';
const SERIES_UID = '0020000E';
const PATIENT_ID = '00100020';
const ISSUER_OF_PATIENT_ID = '00100021';
const PATIENT_NAME = '00100010';
const PAGE = 500;

export interface FindPlan {
  readonly level: FindLevel;
  /** The level as sent (`IMAGE` …), echoed in every response. */
  readonly levelText: string;
  readonly keys: readonly IdentifierKey[];
  readonly query: ImagingQuery;
}

/** One value, not a list or a wildcard pattern: usable as the study/series a query is scoped by. */
function singleUid(value: string | undefined): string | undefined {
  return value && !/[\\*?]/.test(value) ? value : undefined;
}

/** Identifier → query (PS3.4 §C.4.1.2.1); a level the model lacks is 0xA900. */
export function planFind(model: InformationModel, keys: readonly IdentifierKey[]): FindPlan {
  const levelText = keys.find((k) => k.tag === QUERY_RETRIEVE_LEVEL)?.value?.toUpperCase() ?? '';
  const level = LEVELS[levelText];
  if (!level || (level === 'patient' && model === 'study')) {
    const allowed = model === 'patient' ? 'PATIENT, STUDY, SERIES or IMAGE' : 'STUDY, SERIES or IMAGE';
    throw new DimseRefusal(Status.identifierDoesNotMatch, `Query/Retrieve Level must be ${allowed}`);
  }
  const byTag = new Map(keys.map((k) => [k.tag, k.value]));
  const study = level === 'series' || level === 'instance' ? singleUid(byTag.get(STUDY_UID)) : undefined;
  const series = level === 'instance' ? singleUid(byTag.get(SERIES_UID)) : undefined;
  const match = new Map<string, string>();
  for (const key of keys) {
    if (key.value === undefined || NOT_MATCHABLE.has(key.tag)) continue;
    if ((key.tag === STUDY_UID && study) || (key.tag === SERIES_UID && series)) continue;
    match.set(key.tag, key.value);
  }
  const includeFields = keys
    .map((k) => k.tag)
    .filter((t) => t !== QUERY_RETRIEVE_LEVEL && t !== SPECIFIC_CHARACTER_SET);
  if (level === 'patient') includeFields.push('00201206', '00201208');
  const query: ImagingQuery = {
    level: level === 'patient' ? 'study' : level,
    match,
    ...(study ? { study } : {}),
    ...(series ? { series } : {}),
    includeFields,
    fuzzyMatching: false,
  };
  return { level, levelText, keys, query };
}

/** Every match, a page at a time, until the service has no more or the SCU cancelled. */
async function* allMatches(
  service: ImagingService,
  query: ImagingQuery,
  caller: ImagingCaller,
  signal: AbortSignal,
): AsyncGenerator<DicomJson> {
  for (let offset = 0; !signal.aborted; offset += PAGE) {
    const page = await service.query({ ...query, limit: PAGE, offset }, caller);
    for (const match of page) {
      if (signal.aborted) return;
      yield match;
    }
    // A service that ignored the limit answered everything at once.
    if (page.length !== PAGE) return;
  }
}

function count(match: DicomJson, tag: string): number {
  const value = match[tag]?.Value?.[0];
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

/**
 * PATIENT level (PS3.4 §C.6.1.1.2) from the studies the caller may see: one answer per patient
 * (Patient ID + Issuer, or the name when a study has no ID), with the related-object counts.
 */
async function* patients(studies: AsyncGenerator<DicomJson>): AsyncGenerator<DicomJson> {
  const byPatient = new Map<
    string,
    { first: DicomJson; studies: number; series: number; instances: number }
  >();
  for await (const study of studies) {
    const id = study[PATIENT_ID]?.Value?.[0];
    const key = id
      ? `id:${String(id)}|${String(study[ISSUER_OF_PATIENT_ID]?.Value?.[0] ?? '')}`
      : `name:${JSON.stringify(study[PATIENT_NAME]?.Value ?? [])}`;
    const seen = byPatient.get(key) ?? { first: study, studies: 0, series: 0, instances: 0 };
    seen.studies += 1;
    seen.series += count(study, '00201206');
    seen.instances += count(study, '00201208');
    byPatient.set(key, seen);
  }
  for (const p of byPatient.values()) {
    yield {
      ...p.first,
      '00201200': { vr: 'IS', Value: [p.studies] },
      '00201202': { vr: 'IS', Value: [p.series] },
      '00201204': { vr: 'IS', Value: [p.instances] },
    };
  }
}

export interface FindRun {
  readonly service: ImagingService;
  readonly caller: ImagingCaller;
  readonly aeTitle: string;
  readonly signal: AbortSignal;
}

/** The response identifiers of a C-FIND, one per match (each sent as a Pending response). */
export async function* findResponses(plan: FindPlan, run: FindRun): AsyncGenerator<Record<string, unknown>> {
  const studies = allMatches(run.service, plan.query, run.caller, run.signal);
  const matches = plan.level === 'patient' ? patients(studies) : studies;
  const extra: Record<string, unknown> = { QueryRetrieveLevel: plan.levelText };
  // PS3.4 §C.4.1.1.3.2: where the matches can be retrieved from, when the SCU asked.
  if (plan.keys.some((k) => k.tag === RETRIEVE_AE_TITLE)) extra['RetrieveAETitle'] = run.aeTitle;
  for await (const match of matches) {
    if (run.signal.aborted) return;
    yield responseIdentifier(match, plan.keys, extra);
  }
}
