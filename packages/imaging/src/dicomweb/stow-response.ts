import type { DicomJson, StoreResult } from '../service/port.ts';

/**
 * The STOW-RS response (PS3.18 §10.5.3, Table 10.5.3-1): Retrieve URL of the study, Failed SOP
 * Sequence (with Failure Reason) and Referenced SOP Sequence (with Retrieve URL and, where the
 * instance was stored with warnings, Warning Reason). A failure's reason text travels as Error
 * Comment (0000,0902) inside a Failed Attributes Sequence (0074,1048) item, as Azure's DICOM
 * service does, and in a `Warning` header.
 */
export type StowOutcome =
  | { readonly kind: 'stored'; readonly result: StoreResult }
  | {
      readonly kind: 'failed';
      readonly sopClassUid?: string;
      readonly sopInstanceUid?: string;
      readonly status: number;
      readonly reason: string;
    };

export interface StowAnswer {
  /** 200 all stored without warnings; 202 some failed or warnings; 409 none stored (PS3.18 §10.5.3.1). */
  readonly status: 200 | 202 | 409;
  readonly body: DicomJson;
  /** Texts for `Warning` headers. */
  readonly warnings: readonly string[];
}

export interface StowUrls {
  study(studyUid: string): string;
  instance(result: StoreResult): string;
}

export function stowAnswer(outcomes: readonly StowOutcome[], urls: StowUrls): StowAnswer {
  const stored = outcomes.flatMap((o) => (o.kind === 'stored' ? [o.result] : []));
  const failed = outcomes.flatMap((o) => (o.kind === 'failed' ? [o] : []));
  const warnings: string[] = [];
  const body: Record<string, DicomJson[string]> = {};
  const studies = new Set(stored.map((r) => r.studyUid));
  const [onlyStudy] = studies;
  if (studies.size === 1 && onlyStudy !== undefined)
    body['00081190'] = { vr: 'UR', Value: [urls.study(onlyStudy)] };
  if (failed.length > 0) {
    body['00081198'] = { vr: 'SQ', Value: failed.map(failedItem) };
    for (const f of failed) warnings.push(`${f.sopInstanceUid ?? 'an instance'} was not stored: ${f.reason}`);
  }
  if (stored.length > 0) {
    body['00081199'] = { vr: 'SQ', Value: stored.map((r) => referencedItem(r, urls)) };
    for (const r of stored) for (const w of r.warnings) warnings.push(`${r.sopInstanceUid}: ${w}`);
  }
  const anyWarning = stored.some((r) => r.warnings.length > 0);
  const status = stored.length === 0 ? 409 : failed.length > 0 || anyWarning ? 202 : 200;
  return { status, body, warnings };
}

function failedItem(f: Extract<StowOutcome, { kind: 'failed' }>): DicomJson {
  const item: Record<string, DicomJson[string]> = {};
  item['00081150'] = f.sopClassUid ? { vr: 'UI', Value: [f.sopClassUid] } : { vr: 'UI' };
  item['00081155'] = f.sopInstanceUid ? { vr: 'UI', Value: [f.sopInstanceUid] } : { vr: 'UI' };
  item['00081197'] = { vr: 'US', Value: [f.status] };
  item['00741048'] = { vr: 'SQ', Value: [{ '00000902': { vr: 'LO', Value: [f.reason] } }] };
  return item;
}

function referencedItem(r: StoreResult, urls: StowUrls): DicomJson {
  const item: Record<string, DicomJson[string]> = {
    '00081150': { vr: 'UI', Value: [r.sopClassUid] },
    '00081155': { vr: 'UI', Value: [r.sopInstanceUid] },
    '00081190': { vr: 'UR', Value: [urls.instance(r)] },
  };
  if (r.warningReason !== undefined) item['00081196'] = { vr: 'US', Value: [r.warningReason] };
  return item;
}
