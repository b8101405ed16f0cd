/** The DICOM JSON model (PS3.18 §F.2): tag (8 upper-case hex digits) → { vr, Value | BulkDataURI | InlineBinary }. */
export interface DicomJsonElement {
  readonly vr: string;
  readonly Value?: readonly unknown[];
  readonly BulkDataURI?: string;
  readonly InlineBinary?: string;
}

export type DicomJson = Record<string, DicomJsonElement | undefined>;

/** Tags the viewer reads (PS3.6 §6). */
export const TAG = {
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  SOPInstanceUID: '00080018',
  StudyDescription: '00081030',
  StudyDate: '00080020',
  ModalitiesInStudy: '00080061',
  Modality: '00080060',
  SeriesDescription: '0008103E',
  SeriesNumber: '00200011',
  InstanceNumber: '00200013',
  NumberOfFrames: '00280008',
  NumberOfSeriesRelatedInstances: '00201209',
} as const;

/** First value of a string-valued attribute, or undefined when absent or empty. */
export function stringValue(ds: DicomJson, tag: string): string | undefined {
  const first = ds[tag]?.Value?.[0];
  if (typeof first === 'string') return first.length > 0 ? first : undefined;
  if (typeof first === 'number') return String(first);
  return undefined;
}

/** All string values (multi-valued attributes such as ModalitiesInStudy, VR CS, VM 1-n). */
export function stringValues(ds: DicomJson, tag: string): string[] {
  return (ds[tag]?.Value ?? []).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** First value of a numeric attribute (IS and DS arrive as numbers or numeric strings, PS3.18 §F.2.3). */
export function numberValue(ds: DicomJson, tag: string): number | undefined {
  const first = ds[tag]?.Value?.[0];
  const n = typeof first === 'number' ? first : typeof first === 'string' ? Number(first) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A DA value (YYYYMMDD, PS3.5 §6.2) as a Date at local midnight, or undefined if malformed. */
export function parseDicomDate(value: string | undefined): Date | undefined {
  const m = value?.match(/^(\d{4})(\d{2})(\d{2})$/);
  if (!m) return undefined;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Dates the way each language writes them: 2004年1月19日 in Chinese, 19 Jan 2004 in English. */
export function formatDicomDate(value: string | undefined, language: string): string | undefined {
  const date = parseDicomDate(value);
  if (!date) return value;
  return new Intl.DateTimeFormat(language, { year: 'numeric', month: 'long', day: 'numeric' }).format(date);
}
