import type { DicomJson } from '../service/port.ts';

/**
 * Which attributes belong to which level of the DICOM information model (PS3.3 §C.7: Patient,
 * General Study, Patient Study, General Series, General Equipment, Frame of Reference modules;
 * PS3.4 §C.6.1.1), so that the study and series rows keep their own attributes for QIDO-RS return
 * keys, `includefield` and `includefield=all`, and the instance row keeps the whole dataset.
 */

/** Study-level attributes (besides the whole Patient group 0010). */
const STUDY_TAGS: ReadonlySet<string> = new Set([
  '00080020', // StudyDate
  '00080030', // StudyTime
  '00080050', // AccessionNumber
  '00080051', // IssuerOfAccessionNumberSequence
  '00080090', // ReferringPhysicianName
  '00080096', // ReferringPhysicianIdentificationSequence
  '00080201', // TimezoneOffsetFromUTC
  '00081030', // StudyDescription
  '00081032', // ProcedureCodeSequence
  '00081048', // PhysiciansOfRecord
  '00081060', // NameOfPhysiciansReadingStudy
  '00081080', // AdmittingDiagnosesDescription
  '00081110', // ReferencedStudySequence
  '0020000D', // StudyInstanceUID
  '00200010', // StudyID
  '00321032', // RequestingPhysician
  '00321033', // RequestingService
  '00321060', // RequestedProcedureDescription
  '00380010', // AdmissionID
]);

/** Series-level attributes. */
const SERIES_TAGS: ReadonlySet<string> = new Set([
  '00080021', // SeriesDate
  '00080031', // SeriesTime
  '00080060', // Modality
  '00080070', // Manufacturer
  '00080080', // InstitutionName
  '00080081', // InstitutionAddress
  '00080201', // TimezoneOffsetFromUTC
  '00081010', // StationName
  '0008103E', // SeriesDescription
  '00081040', // InstitutionalDepartmentName
  '00081050', // PerformingPhysicianName
  '00081070', // OperatorsName
  '00081090', // ManufacturerModelName
  '00081111', // ReferencedPerformedProcedureStepSequence
  '00180015', // BodyPartExamined
  '00181000', // DeviceSerialNumber
  '00181020', // SoftwareVersions
  '00185100', // PatientPosition
  '0020000E', // SeriesInstanceUID
  '00200011', // SeriesNumber
  '00200052', // FrameOfReferenceUID
  '00200060', // Laterality
  '00400244', // PerformedProcedureStepStartDate
  '00400245', // PerformedProcedureStepStartTime
  '00400253', // PerformedProcedureStepID
  '00400254', // PerformedProcedureStepDescription
  '00400275', // RequestAttributesSequence
]);

export function isStudyLevel(tag: string): boolean {
  return tag.startsWith('0010') || STUDY_TAGS.has(tag);
}

export function isSeriesLevel(tag: string): boolean {
  return SERIES_TAGS.has(tag);
}

/** The dataset's attributes of one level (bulk data elements never belong to study or series rows). */
export function levelAttributes(dataset: DicomJson, level: 'study' | 'series'): DicomJson {
  const keep = level === 'study' ? isStudyLevel : isSeriesLevel;
  const out: DicomJson = {};
  for (const [tag, element] of Object.entries(dataset)) {
    if (keep(tag) && element.BulkDataURI === undefined) out[tag] = element;
  }
  return out;
}

/**
 * Required return keys (PS3.18 Tables 10.6.1-5, -6, -7) with their VR, so that an attribute the
 * stored data lacks is still returned empty (`{ vr }`, PS3.18 §F.2.5). Retrieve URL (0008,1190)
 * is added by the DICOMweb edge, which knows its base URL; Specific Character Set is omitted
 * because DICOM JSON is always Unicode (PS3.18 §F.2).
 */
export const STUDY_RETURN_KEYS: Readonly<Record<string, string>> = {
  '00080020': 'DA',
  '00080030': 'TM',
  '00080050': 'SH',
  '00080056': 'CS',
  '00080061': 'CS',
  '00080090': 'PN',
  '00100010': 'PN',
  '00100020': 'LO',
  '00100030': 'DA',
  '00100040': 'CS',
  '0020000D': 'UI',
  '00200010': 'SH',
  '00201206': 'IS',
  '00201208': 'IS',
};

export const SERIES_RETURN_KEYS: Readonly<Record<string, string>> = {
  '00080060': 'CS',
  '0008103E': 'LO',
  '0020000E': 'UI',
  '00200011': 'IS',
  '00201209': 'IS',
  '00400244': 'DA',
  '00400245': 'TM',
};

export const INSTANCE_RETURN_KEYS: Readonly<Record<string, string>> = {
  '00080016': 'UI',
  '00080018': 'UI',
  '00080056': 'CS',
  '00200013': 'IS',
  '00280010': 'US',
  '00280011': 'US',
  '00280100': 'US',
};

/** Returned when present, never as empty placeholders (conditional keys of the same tables). */
export const OPTIONAL_RETURN_KEYS: readonly string[] = ['00080201', '00400275', '00280008'];
