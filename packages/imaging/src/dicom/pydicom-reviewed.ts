/**
 * Test support: the reviewed outcome of Debian's python3-pydicom test data (issue #6 acceptance), shared
 * by the parser's corpus test and the STOW-RS/WADO-RS round trip (packages/imaging/test). The table in
 * docs/dicom-conformance.md shows the same; the tests check that all three agree with the parser.
 */
const NOT_DICOM =
  /^invalid: not a DICOM Part 10 file: no DICM prefix at byte 128, and it does not begin like a bare dataset/;
const DICOMDIR =
  /^unsupported: SOP class 1\.2\.840\.10008\.1\.3\.10 is not supported: .*DICOMDIR.*send the files it references$/;
/** A small pydicom test file with no Study or Series Instance UID: nothing a PACS can index it under. */
const NO_STUDY = /^invalid: missing .*Study Instance UID \(0020,000D\), Series Instance UID \(0020,000E\)$/;

/**
 * Why each refused file is refused: the reason must match (this is the reviewed list). 8 are not DICOM
 * (text, JSON, gzip, and `no_meta.dcm`, CT_small's dataset with one stray byte of its File Meta in
 * front), 8 are DICOMDIRs, 2 are truncated in a value, 6 are parser test snippets without the UIDs.
 */
export const EXPECTED_REFUSALS: Readonly<Record<string, RegExp>> = {
  'MR_truncated.dcm': /^invalid: truncated: element \(7FE0,0010\)/,
  'README.txt': NOT_DICOM,
  'UN_sequence.dcm': NO_STUDY,
  'dicomdirtests/DICOMDIR': DICOMDIR,
  'dicomdirtests/DICOMDIR-bigEnd': DICOMDIR,
  'dicomdirtests/DICOMDIR-empty.dcm': DICOMDIR,
  'dicomdirtests/DICOMDIR-implicit': DICOMDIR,
  'dicomdirtests/DICOMDIR-nooffset': DICOMDIR,
  'dicomdirtests/DICOMDIR-nopatient': DICOMDIR,
  'dicomdirtests/DICOMDIR-reordered': DICOMDIR,
  'dicomdirtests/README.txt': NOT_DICOM,
  'dicomdirtests/TINY_ALPHA/DICOMDIR': DICOMDIR,
  'dicomdirtests/TINY_ALPHA/README': NOT_DICOM,
  'empty_charset_LEI.dcm': NO_STUDY,
  'meta_missing_tsyntax.dcm': NO_STUDY,
  'nested_priv_SQ.dcm': NO_STUDY,
  'no_meta.dcm': NOT_DICOM,
  'no_meta_group_length.dcm': NO_STUDY,
  'priv_SQ.dcm': NO_STUDY,
  'rtplan.dump': NOT_DICOM,
  'rtplan_truncated.dcm': /^invalid: truncated: element \(300A,00B0\)/,
  'rtstruct.dump': NOT_DICOM,
  'test1.json': NOT_DICOM,
  'test_PN.json': NOT_DICOM,
  'zipMR.gz': NOT_DICOM,
};

/** Accepted with warnings (the lenient cases of docs/dicom-conformance.md), each with what it says. */
export const EXPECTED_WARNINGS: Readonly<Record<string, RegExp>> = {
  'ExplVR_BigEndNoMeta.dcm':
    /^no preamble, DICM prefix or File Meta Information: read as a bare dataset in Explicit VR Big Endian/,
  'ExplVR_LitEndNoMeta.dcm':
    /^no preamble, DICM prefix or File Meta Information: read as a bare dataset in Explicit VR Little Endian/,
  'rtstruct.dcm':
    /^no preamble, DICM prefix or File Meta Information: read as a bare dataset in Implicit VR Little Endian/,
  'badVR.dcm': /^Media Storage SOP Instance UID \(0002,0003\) differs from SOP Instance UID/,
  'rtdose.dcm': /^Media Storage SOP Instance UID \(0002,0003\) differs/,
  'rtdose_1frame.dcm': /^Media Storage SOP Instance UID \(0002,0003\) differs/,
  'rtdose_expb.dcm': /^Media Storage SOP Instance UID \(0002,0003\) differs/,
  'rtdose_expb_1frame.dcm': /^Media Storage SOP Instance UID \(0002,0003\) differs/,
  'rtplan.dcm': /^Media Storage SOP Instance UID \(0002,0003\) differs/,
};

/** Accepted by the File Meta UID check of the first version: 131; with the lenient cases, 140. */
export const PYDICOM_ACCEPTED = 140;
export const PYDICOM_REFUSED: readonly string[] = Object.keys(EXPECTED_REFUSALS).sort();
