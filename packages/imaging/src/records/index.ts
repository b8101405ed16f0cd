/** The FHIR side of imaging: Patient resolution and ImagingStudy upkeep over the FHIR repository. */
export { type FhirStudyRecordsOptions, fhirStudyRecords } from './fhir-study-records.ts';
export { DICOM_UID_SYSTEM, studyIdentifier, studyUidOfResource } from './imaging-study.ts';
