import type { ParsedInstance } from '../dicom/port.ts';
import type { DicomJson } from '../service/port.ts';
import { levelAttributes } from './levels.ts';
import { parseDateTimeRange, parseRange } from './match-values.ts';
import { fuzzyForm, normaliseGroup, type PersonNameGroups, personNameOfJson } from './person-name.ts';

/** What the index stores of one instance, its series and its study (columns of the three tables). */
export interface IndexRecord {
  readonly study: StudyColumns;
  readonly series: SeriesColumns;
  readonly instance: InstanceColumns;
}

export interface StudyColumns {
  readonly studyUid: string;
  readonly dicomPatientId: string | null;
  readonly issuer: string | null;
  readonly pnAlpha: string | null;
  readonly pnIdeo: string | null;
  readonly pnPhon: string | null;
  readonly pnFuzzy: string | null;
  readonly birthDate: string | null;
  readonly sex: string | null;
  readonly studyDate: string | null;
  readonly studyTime: string | null;
  readonly accession: string | null;
  readonly studyId: string | null;
  readonly description: string | null;
  readonly referringPn: readonly (string | null)[] | null;
  readonly attributes: DicomJson;
}

export interface SeriesColumns {
  readonly seriesUid: string;
  readonly modality: string | null;
  readonly seriesNumber: number | null;
  readonly description: string | null;
  readonly seriesDate: string | null;
  readonly seriesTime: string | null;
  readonly ppsDate: string | null;
  readonly ppsTime: string | null;
  readonly attributes: DicomJson;
}

export interface InstanceColumns {
  readonly sopUid: string;
  readonly sopClass: string;
  readonly transferSyntax: string;
  readonly instanceNumber: number | null;
  readonly numberOfFrames: number;
  readonly rows: number | null;
  readonly columns: number | null;
  readonly acquisitionDateTime: string | null;
  readonly metadata: DicomJson;
  /** Bulk data path → [offset, length] in the Part 10 bytes. */
  readonly bulk: Record<string, readonly [number, number]>;
}

/** The first value of an element as text (trimmed), or null. */
export function textOf(dataset: DicomJson, tag: string): string | null {
  const v = dataset[tag]?.Value?.[0];
  if (v === undefined || v === null) return null;
  const text = (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '').trim();
  return text === '' ? null : text;
}

/** The first value as an integer within int4, or null. */
export function integerOf(dataset: DicomJson, tag: string): number | null {
  const v = dataset[tag]?.Value?.[0];
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : Number.NaN;
  return Number.isInteger(n) && Math.abs(n) < 2 ** 31 ? n : null;
}

/** Stored values that do not parse are indexed as absent rather than refused (the bytes are kept). */
function quietly<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

function dateOf(dataset: DicomJson, tag: string): string | null {
  const text = textOf(dataset, tag);
  return text && /^\d{8}$/.test(text) ? (quietly(() => parseRange(tag, text, 'date').low) ?? null) : null;
}

function timeOf(dataset: DicomJson, tag: string): string | null {
  const text = textOf(dataset, tag);
  return text && !text.includes('-') ? (quietly(() => parseRange(tag, text, 'time').low) ?? null) : null;
}

function dateTimeOf(dataset: DicomJson, tag: string): string | null {
  const text = textOf(dataset, tag);
  return text ? (quietly(() => parseDateTimeRange(tag, text).low) ?? null) : null;
}

export function personNameOf(dataset: DicomJson, tag: string): PersonNameGroups | undefined {
  return personNameOfJson(dataset[tag]?.Value?.[0]);
}

function studyColumns(parsed: ParsedInstance): StudyColumns {
  const ds = parsed.dataset;
  const name = parsed.patient.name ?? personNameOf(ds, '00100010') ?? {};
  const referring = personNameOf(ds, '00080090');
  // Kept positional (alphabetic, ideographic, phonetic) so that `A=B` queries can match by group.
  const referringPn = referring
    ? [referring.alphabetic, referring.ideographic, referring.phonetic].map((g) => normaliseGroup(g) ?? null)
    : [];
  return {
    studyUid: parsed.studyUid,
    dicomPatientId: parsed.patient.id ?? textOf(ds, '00100020'),
    issuer: parsed.patient.issuer ?? textOf(ds, '00100021'),
    pnAlpha: normaliseGroup(name.alphabetic) ?? null,
    pnIdeo: normaliseGroup(name.ideographic) ?? null,
    pnPhon: normaliseGroup(name.phonetic) ?? null,
    pnFuzzy: fuzzyForm(name) ?? null,
    birthDate: dateOf(ds, '00100030'),
    sex: textOf(ds, '00100040'),
    studyDate: dateOf(ds, '00080020'),
    studyTime: timeOf(ds, '00080030'),
    accession: textOf(ds, '00080050'),
    studyId: textOf(ds, '00200010'),
    description: textOf(ds, '00081030'),
    referringPn: referringPn.some((g) => g !== null) ? referringPn : null,
    attributes: levelAttributes(ds, 'study'),
  };
}

function seriesColumns(parsed: ParsedInstance): SeriesColumns {
  const ds = parsed.dataset;
  return {
    seriesUid: parsed.seriesUid,
    modality: textOf(ds, '00080060'),
    seriesNumber: integerOf(ds, '00200011'),
    description: textOf(ds, '0008103E'),
    seriesDate: dateOf(ds, '00080021'),
    seriesTime: timeOf(ds, '00080031'),
    ppsDate: dateOf(ds, '00400244'),
    ppsTime: timeOf(ds, '00400245'),
    attributes: levelAttributes(ds, 'series'),
  };
}

function instanceColumns(parsed: ParsedInstance): InstanceColumns {
  const ds = parsed.dataset;
  const bulk: Record<string, readonly [number, number]> = {};
  for (const [path, at] of parsed.bulk) bulk[path] = [at.offset, at.length];
  return {
    sopUid: parsed.sopInstanceUid,
    sopClass: parsed.sopClassUid,
    transferSyntax: parsed.transferSyntaxUid,
    instanceNumber: integerOf(ds, '00200013'),
    numberOfFrames: parsed.numberOfFrames,
    rows: integerOf(ds, '00280010'),
    columns: integerOf(ds, '00280011'),
    acquisitionDateTime: dateTimeOf(ds, '0008002A'),
    metadata: ds,
    bulk,
  };
}

/** The index columns of a parsed instance (pure). */
export function indexRecord(parsed: ParsedInstance): IndexRecord {
  return { study: studyColumns(parsed), series: seriesColumns(parsed), instance: instanceColumns(parsed) };
}
