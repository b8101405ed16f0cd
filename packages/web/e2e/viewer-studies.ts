import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The studies the viewer's e2e test stores through STOW-RS: pydicom's test files (Debian's
 * python3-pydicom) and a generated three-slice CT series, so that stack scrolling shows something.
 */
export const TEST_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

/** CT_small.dcm: StudyDescription "e+1", StudyDate 2004-01-19, patient CompressedSamples^CT1 / 1CT1. */
export const CT_STUDY = '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322';
export const MR_STUDY = '1.3.6.1.4.1.5962.1.2.4.20040826185059.5457';
export const STACK_STUDY = '2.25.281940562137119482203951740041761830071';

/** One Part 10 file to store, and the study it belongs to. */
export interface TestInstance {
  readonly name: string;
  readonly study: string;
  readonly bytes: Uint8Array;
}

export function pydicomFile(name: string, study: string): TestInstance {
  return { name, study, bytes: new Uint8Array(readFileSync(`${TEST_FILES}/${name}`)) };
}

const PIXEL_DATA_TAG = Buffer.from([0xe0, 0x7f, 0x10, 0x00]);

/**
 * pydicom's JPEG 2000 and JPEG-LS files are re-encodings of MR_small.dcm with the same UIDs; one
 * archive keeps one instance per SOP Instance UID, so each variant gets UIDs of its own. Every UID of
 * the file ends in `uidTail`; it is replaced by a string of the same length, in the header only
 * (before Pixel Data), so no element length changes and the compressed frame stays byte-identical.
 */
export function respellUids(file: TestInstance, uidTail: string, newTail: string): TestInstance {
  if (newTail.length !== uidTail.length) throw new Error('the replacement must keep UID lengths');
  const bytes = Buffer.from(file.bytes);
  const headerEnd = bytes.indexOf(PIXEL_DATA_TAG);
  const from = Buffer.from(uidTail, 'latin1');
  let replaced = 0;
  for (let at = bytes.indexOf(from); at >= 0 && at < headerEnd; at = bytes.indexOf(from, at + 1)) {
    bytes.write(newTail, at, 'latin1');
    replaced++;
  }
  if (replaced < 3)
    throw new Error(`${file.name}: expected the study, series and SOP UIDs to end in ${uidTail}`);
  return { name: file.name, study: file.study.replace(uidTail, newTail), bytes: new Uint8Array(bytes) };
}

interface DcmjsData {
  DicomMetaDictionary: { denaturalizeDataset(dataset: Record<string, unknown>): Record<string, unknown> };
  DicomDict: new (meta: Record<string, unknown>) => { dict: Record<string, unknown>; write(): ArrayBuffer };
}

/** dcmjs ships no type declarations: load it by name and keep to the two classes used. */
function dcmjsData(): DcmjsData {
  return (createRequire(import.meta.url)('dcmjs') as { data: DcmjsData }).data;
}

const SIZE = 128;

/** Slice `k`: a soft gradient and a bright disc that moves and grows from slice to slice. */
function slicePixels(k: number): Uint16Array {
  const pixels = new Uint16Array(SIZE * SIZE);
  const cx = 40 + 24 * k;
  const cy = 64;
  const radius = 14 + 6 * k;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const inDisc = (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
      // Stored values; Rescale Intercept −1024 makes the background −1024…−424 HU and the disc +1000 HU.
      pixels[y * SIZE + x] = inDisc ? 2024 : 4 * (x + y) + 100 * k;
    }
  }
  return pixels;
}

/** Three CT slices of one series (Explicit VR Little Endian), InstanceNumber 1–3, 5 mm apart. */
export function stackSeries(): TestInstance[] {
  const { DicomMetaDictionary, DicomDict } = dcmjsData();
  const series = `${STACK_STUDY}.1`;
  return [0, 1, 2].map((k) => {
    const sop = `${series}.${k + 1}`;
    const dataset = {
      SpecificCharacterSet: 'ISO_IR 192',
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
      SOPInstanceUID: sop,
      StudyInstanceUID: STACK_STUDY,
      SeriesInstanceUID: series,
      FrameOfReferenceUID: `${STACK_STUDY}.9`,
      Modality: 'CT',
      PatientID: 'E2E-STACK-1',
      PatientName: 'Lin^Hua=林^华',
      PatientBirthDate: '19680512',
      PatientSex: 'M',
      StudyDate: '20250301',
      StudyTime: '101500',
      StudyDescription: '胸部 CT 平扫 (e2e)',
      SeriesDescription: 'Axial 5 mm',
      SeriesNumber: 1,
      InstanceNumber: k + 1,
      ImagePositionPatient: [0, 0, -5 * k],
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      PixelSpacing: [1, 1],
      SliceThickness: 5,
      Rows: SIZE,
      Columns: SIZE,
      BitsAllocated: 16,
      BitsStored: 16,
      HighBit: 15,
      PixelRepresentation: 0,
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      RescaleIntercept: -1024,
      RescaleSlope: 1,
      WindowCenter: -200,
      WindowWidth: 1600,
      PixelData: [slicePixels(k).buffer],
      _vrMap: { PixelData: 'OW' },
    };
    const meta = {
      FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
      MediaStorageSOPClassUID: dataset.SOPClassUID,
      MediaStorageSOPInstanceUID: sop,
      TransferSyntaxUID: '1.2.840.10008.1.2.1',
      ImplementationClassUID: '2.25.1234567',
    };
    const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
    dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
    return { name: `stack-${k + 1}`, study: STACK_STUDY, bytes: new Uint8Array(dict.write()) };
  });
}

/** The MR image three times: native, JPEG 2000 lossless, JPEG-LS lossless, each its own study. */
export function codecVariants(): Record<'native' | 'jp2k' | 'jls', TestInstance> {
  const tail = '20040826185059.5457';
  return {
    native: pydicomFile('MR_small.dcm', MR_STUDY),
    jp2k: respellUids(pydicomFile('MR_small_jp2klossless.dcm', MR_STUDY), tail, '20040826185059.9001'),
    jls: respellUids(pydicomFile('MR_small_jpeg_ls_lossless.dcm', MR_STUDY), tail, '20040826185059.9002'),
  };
}
