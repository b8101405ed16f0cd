import type { DicomPatient } from '../dicom/port.ts';

/**
 * The FHIR side of the index (issue #6 scope 3): every stored study is an `ImagingStudy` about a
 * `Patient` of the sending institution, which the resident registry links to the regional person.
 * `fhirStudyRecords` (../records) implements it over the FHIR repository.
 */
export interface StudyRecords {
  /**
   * The sending institution's Patient for the DICOM patient: an existing one (custodian =
   * `organization`, identifier value = Patient ID, or id = Patient ID), else a new one made from the
   * DICOM attributes. Concurrent calls for one patient resolve to one Patient.
   */
  resolvePatient(patient: DicomPatient, organization: string): Promise<string>;
  /**
   * Creates or updates the ImagingStudy identified by the StudyInstanceUID (conditional, under a
   * lock shared by every replica); never replaces a fuller summary (more instances) by a smaller one.
   */
  upsertImagingStudy(
    summary: StudySummary,
    patientId: string,
    organization: string,
  ): Promise<ImagingStudyRecord>;
  /** The StudyInstanceUID of an ImagingStudy (FHIR → DICOM), or undefined. */
  studyUidOf(imagingStudyId: string): Promise<string | undefined>;
}

export interface ImagingStudyRecord {
  readonly id: string;
  /** The stored ImagingStudy's sensitivity labels (`meta.security`): the index's `labels`. */
  readonly labels: readonly string[];
}

/** A study as the index knows it (the source of the ImagingStudy's content). */
export interface StudySummary {
  readonly studyUid: string;
  /** The index's change counter this summary reflects. */
  readonly version: number;
  readonly accession?: string;
  readonly description?: string;
  /** FHIR date (`YYYY-MM-DD`). */
  readonly studyDate?: string;
  /** `HH:MM:SS.ffffff`. */
  readonly studyTime?: string;
  /** TimezoneOffsetFromUTC (0008,0201), `+0800`. */
  readonly timezoneOffset?: string;
  readonly referringPhysician?: string;
  readonly modalities: readonly string[];
  readonly numberOfSeries: number;
  readonly numberOfInstances: number;
  readonly series: readonly SeriesSummary[];
}

export interface SeriesSummary {
  readonly uid: string;
  readonly number?: number;
  readonly modality?: string;
  readonly description?: string;
  readonly bodyPart?: string;
  readonly seriesDate?: string;
  readonly seriesTime?: string;
  readonly numberOfInstances: number;
  readonly instances: readonly {
    readonly uid: string;
    readonly sopClass: string;
    readonly number?: number;
  }[];
}
