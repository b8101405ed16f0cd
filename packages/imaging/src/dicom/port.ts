import type { DicomJson } from '../service/port.ts';

/**
 * One received Part 10 instance, parsed and checked (PS3.10 §7: preamble, `DICM`, File Meta
 * Information; PS3.5 encoding). `parsePart10(bytes)` in `./parse.ts` returns it or throws
 * `AppError('invalid' | 'unsupported', reason)`; the reasons are listed in docs/dicom-conformance.md.
 */
export interface ParsedInstance {
  readonly transferSyntaxUid: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly studyUid: string;
  readonly seriesUid: string;
  /** Every attribute of the dataset (not the File Meta group) in the DICOM JSON model, with bulk data
   *  elements (Pixel Data, and OB/OW/OF/OD/UN values over 1 KiB) replaced by `BulkDataURI: "bulk:<path>"`
   *  where path is the tag path (`7FE00010`, or `00540016.0.00181072` inside sequences). */
  readonly dataset: DicomJson;
  /** Bulk data elements by the same path: byte offset and length of the value in the Part 10 bytes. */
  readonly bulk: ReadonlyMap<string, { readonly offset: number; readonly length: number }>;
  readonly numberOfFrames: number;
  readonly patient: DicomPatient;
  /** Deviations from PS3.10 tolerated when storing (e.g. File Meta UIDs differing from the dataset's,
   *  no File Meta at all): short English texts without personal data, absent when there are none.
   *  The edges answer them as warning 0xB007 (docs/dicom-conformance.md). */
  readonly warnings?: readonly string[];
}

/** What the instance says of its patient: the sending institution's identifiers, not the region's. */
export interface DicomPatient {
  /** Patient ID (0010,0020): the sender's medical record number, or a resident ID number. */
  readonly id?: string;
  /** Issuer of Patient ID (0010,0021). */
  readonly issuer?: string;
  /** Patient's Name (0010,0010) components (PS3.5 §6.2.1.2): alphabetic (pinyin), ideographic (汉字), phonetic. */
  readonly name?: { readonly alphabetic?: string; readonly ideographic?: string; readonly phonetic?: string };
  /** Patient's Birth Date as FHIR date (YYYY-MM-DD). */
  readonly birthDate?: string;
  /** Patient's Sex as FHIR gender. */
  readonly gender?: 'male' | 'female' | 'other' | 'unknown';
  /** Other Patient IDs Sequence (0010,1002): id and issuer of each. */
  readonly otherIds: readonly { readonly id: string; readonly issuer?: string }[];
}
