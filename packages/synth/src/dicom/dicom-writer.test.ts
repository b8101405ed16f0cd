import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SYSTEMS } from '../data/systems.ts';
import { generateInTemp } from '../test-support.ts';

interface NaturalDataset {
  StudyInstanceUID?: string;
  PatientID?: string;
  IssuerOfPatientID?: string;
  StudyDate?: string;
  StudyTime?: string;
  StudyDescription?: string;
  Rows?: number;
  Modality?: string;
}

interface StudyJson {
  identifier: { system?: string; value: string }[];
  subject: { reference: string };
  modality: { code: string }[];
  started: string;
  description: string;
}

interface PatientJson {
  id: string;
  identifier?: { system?: string; value?: string; assigner?: { reference?: string } }[];
  managingOrganization?: { reference?: string };
}

async function dicomReader(): Promise<(bytes: Uint8Array) => NaturalDataset> {
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
  return (bytes: Uint8Array) =>
    DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(new Uint8Array(bytes).buffer).dict);
}

const studyUid = (s: StudyJson) =>
  s.identifier.find((i) => i.system === SYSTEMS.dicomUid)?.value.replace('urn:oid:', '') ?? '';

describe('--dicom', () => {
  it('writes one readable DICOM file per ImagingStudy with matching UIDs, time and description', async () => {
    using run = await generateInTemp({ seed: 'dicom', residents: 60, dicom: true });
    const studies = (run.byType.get('ImagingStudy') ?? []) as unknown as StudyJson[];
    const files = readdirSync(join(run.dir, 'dicom'));
    expect(studies.length).toBeGreaterThan(0);
    expect(files).toHaveLength(studies.length);
    const read = await dicomReader();
    for (const study of studies) {
      const uid = studyUid(study);
      const ds = read(readFileSync(join(run.dir, 'dicom', `${uid}.dcm`)));
      expect(ds.StudyInstanceUID).toBe(uid);
      expect(ds.Modality).toBe(study.modality[0]?.code);
      expect(ds.Rows).toBe(64);
      // The PACS turns StudyDate/StudyTime (local time) back into `started`: they must agree.
      const [date, time] = study.started.split('T');
      expect(ds.StudyDate).toBe(date?.replaceAll('-', ''));
      expect(ds.StudyTime).toBe(time?.slice(0, 8).replaceAll(':', ''));
      expect(ds.StudyDescription).toBe(study.description);
    }
  }, 60_000);

  it("gives as Patient ID the MRN of the study's subject, issued by the institution holding that record", async () => {
    using run = await generateInTemp({ seed: 'dicom-mrn', residents: 200, dicom: true });
    const studies = (run.byType.get('ImagingStudy') ?? []) as unknown as StudyJson[];
    const patients = new Map(
      ((run.byType.get('Patient') ?? []) as unknown as PatientJson[]).map((p) => [`Patient/${p.id}`, p]),
    );
    const read = await dicomReader();
    const holders = new Set<string>();
    for (const study of studies) {
      const patient = patients.get(study.subject.reference);
      const mrn = patient?.identifier?.find((i) => i.system === SYSTEMS.mrn);
      expect(mrn?.value, study.subject.reference).toBeTruthy();
      const ds = read(readFileSync(join(run.dir, 'dicom', `${studyUid(study)}.dcm`)));
      expect(ds.PatientID).toBe(mrn?.value);
      expect(`Organization/${ds.IssuerOfPatientID}`).toBe(mrn?.assigner?.reference);
      expect(`Organization/${ds.IssuerOfPatientID}`).toBe(patient?.managingOrganization?.reference);
      holders.add(/-d\d+$/.test(patient?.id ?? '') ? 'duplicate' : 'primary');
    }
    // Both kinds of subject occur: the primary record and a hospital's own (duplicate) registration.
    expect([...holders].sort()).toEqual(['duplicate', 'primary']);
  }, 60_000);

  it('writes the same files for the same seed', async () => {
    using a = await generateInTemp({ seed: 'dicom-same', residents: 40, dicom: true });
    using b = await generateInTemp({ seed: 'dicom-same', residents: 40, dicom: true });
    const names = readdirSync(join(a.dir, 'dicom')).sort();
    expect(names.length).toBeGreaterThan(0);
    expect(readdirSync(join(b.dir, 'dicom')).sort()).toEqual(names);
    for (const name of names)
      expect(readFileSync(join(b.dir, 'dicom', name)).equals(readFileSync(join(a.dir, 'dicom', name)))).toBe(
        true,
      );
  }, 60_000);
});
