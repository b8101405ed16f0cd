/** DICOM Part 10 parsing and validation (PS3.10, PS3.5) and the DICOM JSON model (PS3.18 §F). */
export {
  type Attribute,
  type AttributeLevel,
  keywordOf,
  QUERY_ATTRIBUTES,
  queryAttribute,
  tagOf,
  vrOf,
} from './attributes.ts';
export { type CharsetDecoder, charsetDecoder } from './charset.ts';
export { sopClassNotSupported, transferSyntaxNotSupported } from './errors.ts';
export { type ParseOptions, parsePart10, readBulkValue } from './parse.ts';
export { fhirDate, fhirGender, patientOf } from './patient.ts';
export type { DicomPatient, ParsedInstance } from './port.ts';
export { DICOM_STATUS, type DicomStatus, dicomStatusOf } from './status.ts';
export {
  SUPPORTED_TRANSFER_SYNTAXES_SUMMARY,
  TRANSFER_SYNTAXES,
  type TransferSyntax,
  transferSyntaxOf,
} from './transfer-syntax.ts';
export { isValidUid, uidProblem } from './uid.ts';
