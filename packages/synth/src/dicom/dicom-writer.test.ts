import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateInTemp } from '../test-support.ts';

interface NaturalDataset {
  StudyInstanceUID?: string;
  PatientID?: string;
  Rows?: number;
  Modality?: string;
}

describe('--dicom', () => {
  it('writes one readable DICOM file per ImagingStudy with matching UIDs and patient', async () => {
    using run = await generateInTemp({ seed: 'dicom', residents: 60, dicom: true });
    const studies = run.byType.get('ImagingStudy') ?? [];
    const files = readdirSync(join(run.dir, 'dicom'));
    expect(studies.length).toBeGreaterThan(0);
    expect(files).toHaveLength(studies.length);
    const specifier = 'dcmjs';
    const dcmjs = (await import(specifier)) as {
      default: {
        data: {
          DicomMessage: { readFile(b: ArrayBuffer): { dict: unknown } };
          DicomMetaDictionary: { naturalizeDataset(d: unknown): NaturalDataset };
        };
      };
    };
    const { DicomMessage, DicomMetaDictionary } = dcmjs.default.data;
    const study = studies[0] as {
      identifier: { value: string }[];
      subject: { reference: string };
      modality: { code: string }[];
    };
    const uid = study.identifier[0]?.value.replace('urn:oid:', '') ?? '';
    const bytes = readFileSync(join(run.dir, 'dicom', `${uid}.dcm`));
    const ds = DicomMetaDictionary.naturalizeDataset(
      DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).dict,
    );
    expect(ds.StudyInstanceUID).toBe(uid);
    expect(`Patient/${ds.PatientID}`).toBe(study.subject.reference);
    expect(ds.Modality).toBe(study.modality[0]?.code);
    expect(ds.Rows).toBe(64);
  }, 60_000);
});
