import { dictionaryEntry, tagOfDictionaryKeyword } from './dcmjs-dictionary.ts';

/**
 * The attributes imaging matches and returns in QIDO-RS (PS3.18 §10.6.1.2, Table 10.6.1-5 and
 * Table 10.6.3-3/-4/-5) and C-FIND (PS3.4 §C.6.1.1/§C.6.2.1), with their VR and the query level they
 * belong to. Other keywords and tags are resolved through the PS3.6 dictionary (dcmjs).
 */
export type AttributeLevel = 'patient' | 'study' | 'series' | 'instance';

export interface Attribute {
  readonly keyword: string;
  /** 8 upper-case hex digits, the DICOM JSON key. */
  readonly tag: string;
  readonly vr: string;
  readonly level: AttributeLevel;
}

const row = (keyword: string, tag: string, vr: string, level: AttributeLevel): Attribute => ({
  keyword,
  tag,
  vr,
  level,
});

export const QUERY_ATTRIBUTES: readonly Attribute[] = [
  row('SpecificCharacterSet', '00080005', 'CS', 'instance'),
  row('SOPClassUID', '00080016', 'UI', 'instance'),
  row('SOPInstanceUID', '00080018', 'UI', 'instance'),
  row('InstanceAvailability', '00080056', 'CS', 'instance'),
  row('InstanceNumber', '00200013', 'IS', 'instance'),
  row('ContentDate', '00080023', 'DA', 'instance'),
  row('ContentTime', '00080033', 'TM', 'instance'),
  row('NumberOfFrames', '00280008', 'IS', 'instance'),
  row('Rows', '00280010', 'US', 'instance'),
  row('Columns', '00280011', 'US', 'instance'),
  row('BitsAllocated', '00280100', 'US', 'instance'),
  row('RetrieveURL', '00081190', 'UR', 'instance'),
  row('PatientName', '00100010', 'PN', 'patient'),
  row('PatientID', '00100020', 'LO', 'patient'),
  row('IssuerOfPatientID', '00100021', 'LO', 'patient'),
  row('PatientBirthDate', '00100030', 'DA', 'patient'),
  row('PatientSex', '00100040', 'CS', 'patient'),
  row('OtherPatientIDsSequence', '00101002', 'SQ', 'patient'),
  row('StudyDate', '00080020', 'DA', 'study'),
  row('StudyTime', '00080030', 'TM', 'study'),
  row('AccessionNumber', '00080050', 'SH', 'study'),
  row('ModalitiesInStudy', '00080061', 'CS', 'study'),
  row('SOPClassesInStudy', '00080062', 'UI', 'study'),
  row('ReferringPhysicianName', '00080090', 'PN', 'study'),
  row('TimezoneOffsetFromUTC', '00080201', 'SH', 'study'),
  row('StudyDescription', '00081030', 'LO', 'study'),
  row('StudyInstanceUID', '0020000D', 'UI', 'study'),
  row('StudyID', '00200010', 'SH', 'study'),
  row('NumberOfStudyRelatedSeries', '00201206', 'IS', 'study'),
  row('NumberOfStudyRelatedInstances', '00201208', 'IS', 'study'),
  row('Modality', '00080060', 'CS', 'series'),
  row('SeriesDate', '00080021', 'DA', 'series'),
  row('SeriesTime', '00080031', 'TM', 'series'),
  row('SeriesDescription', '0008103E', 'LO', 'series'),
  row('BodyPartExamined', '00180015', 'CS', 'series'),
  row('SeriesInstanceUID', '0020000E', 'UI', 'series'),
  row('SeriesNumber', '00200011', 'IS', 'series'),
  row('NumberOfSeriesRelatedInstances', '00201209', 'IS', 'series'),
  row('PerformedProcedureStepStartDate', '00400244', 'DA', 'series'),
  row('PerformedProcedureStepStartTime', '00400245', 'TM', 'series'),
  row('RequestAttributesSequence', '00400275', 'SQ', 'series'),
];

const BY_KEYWORD = new Map(QUERY_ATTRIBUTES.map((a) => [a.keyword, a]));
const BY_TAG = new Map(QUERY_ATTRIBUTES.map((a) => [a.tag, a]));

/**
 * The tag (`00100010`) of a keyword (`PatientName`) or a tag in any usual spelling (`00100010`,
 * `0010,0010`, `(0010,0010)`, lower case); undefined for anything else. QIDO-RS accepts both
 * keywords and tags as attribute IDs (PS3.18 §8.3.4.1).
 */
export function tagOf(keywordOrTag: string): string | undefined {
  const s = keywordOrTag.trim();
  const hex = /^\(?([0-9A-Fa-f]{4}),?([0-9A-Fa-f]{4})\)?$/.exec(s);
  if (hex) return `${hex[1]}${hex[2]}`.toUpperCase();
  const known = BY_KEYWORD.get(s);
  if (known) return known.tag;
  const tag = tagOfDictionaryKeyword(s);
  return tag === undefined ? undefined : tag.toString(16).toUpperCase().padStart(8, '0');
}

/** The VR of a tag (`00100010` → `PN`), from the table or the dictionary; `US or SS` style VRs resolve
 *  to their usual form. Undefined for private and unknown tags. */
export function vrOf(tag: string): string | undefined {
  const known = BY_TAG.get(tag.toUpperCase());
  if (known) return known.vr;
  if (!/^[0-9A-Fa-f]{8}$/.test(tag)) return undefined;
  const vr = dictionaryEntry(Number.parseInt(tag, 16))?.vr;
  switch (vr) {
    case 'ox':
    case 'lt':
      return 'OW';
    case 'xs':
      return 'US';
    case 'up':
      return 'UL';
    case 'na':
      return undefined;
    default:
      return vr;
  }
}

/** The keyword of a tag (`00100010` → `PatientName`). */
export function keywordOf(tag: string): string | undefined {
  const known = BY_TAG.get(tag.toUpperCase());
  if (known) return known.keyword;
  if (!/^[0-9A-Fa-f]{8}$/.test(tag)) return undefined;
  return dictionaryEntry(Number.parseInt(tag, 16))?.keyword;
}

/** The table entry of a query attribute, by tag. */
export function queryAttribute(tag: string): Attribute | undefined {
  return BY_TAG.get(tag.toUpperCase());
}
