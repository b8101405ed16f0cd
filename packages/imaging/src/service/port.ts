import type { AccessScope } from '@yiyun/store';
import type { ByteRange } from '../blob/port.ts';

/**
 * The imaging capability as the protocol edges (DICOMweb routes, DIMSE SCP) use it. Edges parse
 * their protocol into these calls and render the answers; they never touch SQL or storage.
 * Errors are `AppError` (from `@yiyun/fhir`); edges map its code to a DICOM status
 * (`../dicom/status.ts`): invalid → 0xC000, unsupported → 0xC122/0x0122, conflict → 0xA900,
 * too-large → 0xA700, forbidden → 0x0124, internal → 0x0110.
 */
export interface ImagingService {
  /** Validates, stores (durably) and indexes one Part 10 instance; updates the study's ImagingStudy. */
  store(part10: Uint8Array, caller: ImagingCaller, options?: StoreOptions): Promise<StoreResult>;
  /** QIDO-RS / C-FIND: matching studies, series or instances the caller may see, as DICOM JSON. */
  query(query: ImagingQuery, caller: ImagingCaller): Promise<DicomJson[]>;
  /** The instances under a study / series / instance the caller may see (empty: none, or not visible). */
  locate(selector: InstanceSelector, caller: ImagingCaller): Promise<InstanceLocation[]>;
  /** The stored Part 10 bytes of a located instance (exactly as received), or a slice of them. */
  read(location: InstanceLocation, range?: ByteRange): Promise<Uint8Array>;
}

/** Who is calling, as imaging needs it. Built by the server from a token or a DIMSE peer. */
export interface ImagingCaller {
  /** The FHIR access scope (compiled into the index query with `accessPredicate`). */
  readonly scope: AccessScope;
  /** The caller's institution (`Organization` id): custodian of what it stores; grantee of shares. */
  readonly organization?: string;
  /** Account, client id or calling AE title, for the audit trail. */
  readonly actor: string;
  /** May store instances (integration systems, staff of an institution). */
  readonly canStore: boolean;
  /** `stow-rs`, `c-store`, `qido-rs`, `wado-rs`, `c-find`, `c-move`, `c-get` … for the audit trail. */
  readonly via: string;
  readonly requestId?: string;
  readonly address?: string;
}

export interface StoreOptions {
  /** STOW-RS to `/studies/{uid}`: an instance of another study is refused (0xA900). */
  readonly expectedStudy?: string;
}

export interface StoreResult {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly studyUid: string;
  readonly seriesUid: string;
  /** `stored`; `duplicate` when the same bytes were already stored (idempotent re-send). */
  readonly outcome: 'stored' | 'duplicate';
  /** What the sender should know (no personal data): deviations tolerated, under-replicated storage. */
  readonly warnings: readonly string[];
  /**
   * Warning Reason (PS3.18 Table 10.5.3-2 / PS3.4 Table B.2-1) when one applies: 0xB007 "Data Set
   * does not match SOP Class" for an instance stored despite deviating from PS3.10
   * (docs/dicom-conformance.md). Under-replication has no DICOM code: a warning text only.
   */
  readonly warningReason?: number;
}

/** Warning Reason 0xB007 "Data Set does not match SOP Class" (PS3.4 Table B.2-1). */
export const WARNING_NONCONFORMANT = 0xb007;

export type QueryLevel = 'study' | 'series' | 'instance';

/**
 * A query in the terms of PS3.18 §8.3.4 (QIDO-RS) and PS3.4 §C.6 (C-FIND): matching keys by tag,
 * scoped by the study/series in the path, with return keys and paging.
 */
export interface ImagingQuery {
  readonly level: QueryLevel;
  /** Tag (8 upper-case hex digits, e.g. `00100010`) → the matching value exactly as sent. */
  readonly match: ReadonlyMap<string, string>;
  readonly study?: string;
  readonly series?: string;
  /** Extra attributes to return (tags), or `all`. */
  readonly includeFields: readonly string[] | 'all';
  /** Person names also match phonetically / ignoring case and accents (`fuzzymatching=true`). */
  readonly fuzzyMatching: boolean;
  readonly limit?: number;
  readonly offset?: number;
}

export interface InstanceSelector {
  readonly study: string;
  readonly series?: string;
  readonly instance?: string;
}

/** Where a stored instance is, with what an edge needs to serve it without re-parsing. */
export interface InstanceLocation {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  /** Key of the Part 10 object in the image store. */
  readonly blobKey: string;
  readonly size: number;
  readonly numberOfFrames: number;
}

/** The DICOM JSON model (PS3.18 §F.2): tag → { vr, Value | BulkDataURI | InlineBinary }. */
export type DicomJson = Record<string, DicomJsonElement>;

export interface DicomJsonElement {
  readonly vr: string;
  readonly Value?: readonly unknown[];
  readonly BulkDataURI?: string;
  readonly InlineBinary?: string;
}
