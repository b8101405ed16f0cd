import type {
  ImagingCaller,
  ImagingService,
  InstanceLocation,
  InstanceSelector,
  QueryLevel,
} from '../service/port.ts';
import type { InformationModel } from './find.ts';
import type { IdentifierKey } from './identifier.ts';
import { DimseRefusal, Status } from './status-codes.ts';

/**
 * The instances a C-MOVE or C-GET identifier names (PS3.4 §C.4.2.2.1, §C.4.3.2.1): the unique keys of
 * the Query/Retrieve Level and of the levels above it, each possibly a list of UIDs (§C.2.2.2.2).
 * Where a higher-level UID is missing (relational retrieve) it is found by a query. Only what the
 * caller may see is located.
 */
const QUERY_RETRIEVE_LEVEL = '00080052';
const PATIENT_ID = '00100020';
const STUDY_UID = '0020000D';
const SERIES_UID = '0020000E';
const SOP_INSTANCE_UID = '00080018';
const PAGE = 500;

function uidList(keys: ReadonlyMap<string, string | undefined>, tag: string): string[] {
  const value = keys.get(tag);
  return value
    ? value
        .split('\\')
        .map((u) => u.trim())
        .filter((u) => u !== '')
    : [];
}

function required(
  keys: ReadonlyMap<string, string | undefined>,
  tag: string,
  name: string,
  level: string,
): string[] {
  const list = uidList(keys, tag);
  if (list.length === 0) {
    throw new DimseRefusal(Status.identifierDoesNotMatch, `${name} is required at ${level} level`);
  }
  return list;
}

interface Lookup {
  readonly service: ImagingService;
  readonly caller: ImagingCaller;
}

/** The study (and series) UIDs of matches, for levels whose parents the identifier left out. */
async function parents(
  lookup: Lookup,
  level: QueryLevel,
  tag: string,
  value: string,
): Promise<InstanceSelector[]> {
  const out: InstanceSelector[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await lookup.service.query(
      {
        level,
        match: new Map([[tag, value]]),
        includeFields: [STUDY_UID, SERIES_UID],
        fuzzyMatching: false,
        limit: PAGE,
        offset,
      },
      lookup.caller,
    );
    for (const match of page) {
      const study = match[STUDY_UID]?.Value?.[0];
      const series = match[SERIES_UID]?.Value?.[0];
      if (typeof study !== 'string') continue;
      out.push(typeof series === 'string' && level !== 'study' ? { study, series } : { study });
    }
    if (page.length !== PAGE) return out;
  }
}

async function selectors(
  lookup: Lookup,
  model: InformationModel,
  keys: ReadonlyMap<string, string | undefined>,
): Promise<InstanceSelector[]> {
  const level = (keys.get(QUERY_RETRIEVE_LEVEL) ?? '').toUpperCase();
  if (level === 'PATIENT' && model === 'patient') {
    const ids = required(keys, PATIENT_ID, 'Patient ID (0010,0020)', level);
    return (await Promise.all(ids.map((id) => parents(lookup, 'study', PATIENT_ID, id)))).flat();
  }
  if (level === 'STUDY') {
    return required(keys, STUDY_UID, 'Study Instance UID (0020,000D)', level).map((study) => ({ study }));
  }
  if (level === 'SERIES') {
    const series = required(keys, SERIES_UID, 'Series Instance UID (0020,000E)', level);
    const [study, ...more] = uidList(keys, STUDY_UID);
    if (study && more.length === 0) return series.map((s) => ({ study, series: s }));
    return (await Promise.all(series.map((s) => parents(lookup, 'series', SERIES_UID, s)))).flat();
  }
  if (level === 'IMAGE') {
    const instances = required(keys, SOP_INSTANCE_UID, 'SOP Instance UID (0008,0018)', level);
    const [study, ...moreStudies] = uidList(keys, STUDY_UID);
    const [series, ...moreSeries] = uidList(keys, SERIES_UID);
    if (study && series && moreStudies.length === 0 && moreSeries.length === 0) {
      return instances.map((instance) => ({ study, series, instance }));
    }
    const found = await Promise.all(instances.map((i) => parents(lookup, 'instance', SOP_INSTANCE_UID, i)));
    return found.flatMap((parentsOfOne, n) =>
      parentsOfOne.map((p) => ({ ...p, instance: instances[n] as string })),
    );
  }
  const allowed = model === 'patient' ? 'PATIENT, STUDY, SERIES or IMAGE' : 'STUDY, SERIES or IMAGE';
  throw new DimseRefusal(Status.identifierDoesNotMatch, `Query/Retrieve Level must be ${allowed}`);
}

/** The instances to send, each once, in the order the service located them. */
export async function locateInstances(
  lookup: Lookup,
  model: InformationModel,
  keys: readonly IdentifierKey[],
): Promise<InstanceLocation[]> {
  const byTag = new Map(keys.map((k) => [k.tag, k.value]));
  const out = new Map<string, InstanceLocation>();
  for (const selector of await selectors(lookup, model, byTag)) {
    for (const location of await lookup.service.locate(selector, lookup.caller)) {
      if (!out.has(location.sopInstanceUid)) out.set(location.sopInstanceUid, location);
    }
  }
  return [...out.values()];
}

/** The SOP Instance UIDs of `studies` another caller may see (the C-MOVE destination's institution). */
export async function visibleTo(lookup: Lookup, studies: Iterable<string>): Promise<Set<string>> {
  const visible = new Set<string>();
  for (const study of new Set(studies)) {
    for (const location of await lookup.service.locate({ study }, lookup.caller))
      visible.add(location.sopInstanceUid);
  }
  return visible;
}
