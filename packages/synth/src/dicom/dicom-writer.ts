import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@yiyun/fhir';
import type { DicomRequest } from '../care/context.ts';
import type { Rng } from '../random/prng.ts';
import { isoDate } from '../util/dates.ts';
import { phantom } from './phantom.ts';

/** Writes one small, real DICOM Part 10 file per imaging study. */
export interface DicomWriter {
  write(request: DicomRequest, rng: Rng): void;
}

interface DcmjsData {
  DicomMetaDictionary: { denaturalizeDataset(dataset: Record<string, unknown>): Record<string, unknown> };
  DicomDict: new (meta: Record<string, unknown>) => { dict: Record<string, unknown>; write(): ArrayBuffer };
}

function isDcmjsData(value: unknown): value is DcmjsData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['DicomDict'] === 'function' && typeof v['DicomMetaDictionary'] === 'function';
}

/** dcmjs ships no type declarations; load it by name and check the two classes we use. */
async function loadDcmjs(): Promise<DcmjsData> {
  const specifier = 'dcmjs';
  const mod: unknown = await import(specifier);
  const root = (mod as { default?: unknown }).default ?? mod;
  const data = (root as { data?: unknown }).data;
  if (!isDcmjsData(data)) throw new AppError('internal', 'dcmjs did not load as expected');
  return data;
}

const IMPLEMENTATION_CLASS_UID = '2.25.231717316592341938419612283411393489513';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

function dataset(req: DicomRequest, pixels: Uint16Array): Record<string, unknown> {
  const date = isoDate(req.day).replaceAll('-', '');
  return {
    SpecificCharacterSet: 'ISO_IR 192',
    ImageType: ['DERIVED', 'SECONDARY'],
    SOPClassUID: req.sopClassUid,
    SOPInstanceUID: req.instanceUid,
    StudyDate: date,
    SeriesDate: date,
    ContentDate: date,
    StudyTime: req.time,
    SeriesTime: req.time,
    ContentTime: req.time,
    AccessionNumber: req.accession,
    Modality: req.modality,
    Manufacturer: 'Yiyun synth',
    InstitutionName: req.institution,
    StudyDescription: req.description,
    SeriesDescription: req.description,
    PatientName: req.patientName,
    PatientID: req.patientId,
    IssuerOfPatientID: req.issuer,
    PatientBirthDate: req.birthDate,
    PatientSex: req.patientSex,
    BodyPartExamined: req.bodyPart,
    StudyInstanceUID: req.studyUid,
    SeriesInstanceUID: req.seriesUid,
    StudyID: '1',
    SeriesNumber: 1,
    InstanceNumber: 1,
    ImagePositionPatient: [0, 0, 0],
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    SliceThickness: 5,
    PixelSpacing: [4, 4],
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: 64,
    Columns: 64,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 0,
    RescaleIntercept: -1024,
    RescaleSlope: 1,
    WindowCenter: 40,
    WindowWidth: 400,
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: 'OW' },
  };
}

/** Creates `dir` and a writer of `<dir>/<StudyInstanceUID>.dcm` files. */
export async function createDicomWriter(dir: string): Promise<DicomWriter> {
  const dcmjs = await loadDcmjs();
  mkdirSync(dir, { recursive: true });
  return {
    write(req, rng) {
      const meta = {
        FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
        MediaStorageSOPClassUID: req.sopClassUid,
        MediaStorageSOPInstanceUID: req.instanceUid,
        TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
        ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
        ImplementationVersionName: 'YIYUN_SYNTH_1',
      };
      const dict = new dcmjs.DicomDict(dcmjs.DicomMetaDictionary.denaturalizeDataset(meta));
      dict.dict = dcmjs.DicomMetaDictionary.denaturalizeDataset(dataset(req, phantom(rng, req.bodyPart)));
      writeFileSync(join(dir, `${req.studyUid}.dcm`), new Uint8Array(dict.write()));
    },
  };
}
