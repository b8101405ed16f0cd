import type { DiagnosticReport, ImagingStudy } from '@medplum/fhirtypes';
import { IMAGING, type ImagingKey, SOP_CLASS } from '../data/catalog.ts';
import { SYSTEMS } from '../data/systems.ts';
import { dicomUid } from '../ids/uid.ts';
import type { Person } from '../population/model.ts';
import { isoDate, isoDateTime } from '../util/dates.ts';
import type { Visit } from './clinical.ts';
import { nextId, type PersonContext, patientRef } from './context.ts';
import { registrationAt } from './registration.ts';

const FINDINGS: Record<ImagingKey, readonly [string, string]> = {
  ctHead: ['颅内未见明显出血。', '左侧基底节区见小片状低密度影，考虑腔隙性脑梗死。'],
  ctChest: ['双肺纹理清晰，未见明显实变。', '右下肺见斑片状渗出影，考虑炎症。'],
  xrChest: ['心肺膈未见明显异常。', '双肺纹理增多，右下肺野见片状模糊影。'],
  usAbdomen: ['肝胆胰脾未见明显异常。', '胆囊内见强回声团伴声影，考虑胆囊结石。'],
  mrBrain: ['脑实质未见明显异常信号。', '左侧放射冠区DWI高信号，考虑急性脑梗死。'],
};

/**
 * DICOM PN (PS3.5 §6.2.1.1): family^given^middle. Chinese residents get the alphabetic group in
 * pinyin and the ideographic group in characters; foreigners only the alphabetic one.
 */
function dicomPersonName(p: Person): string {
  if (p.kind === 'citizen') return `${p.familyPinyin}^${p.givenPinyin}=${p.family}^${p.given}`;
  const { family, given, middle } = p.name;
  return middle ? `${family}^${given}^${middle}` : `${family}^${given}`;
}

/** Writes an ImagingStudy and its imaging DiagnosticReport; returns the report id. */
export function writeImaging(pc: PersonContext, visit: Visit, key: ImagingKey, abnormal: boolean): string {
  const proc = IMAGING[key];
  const studyUid = dicomUid(pc.rng);
  const seriesUid = dicomUid(pc.rng);
  const instanceUid = dicomUid(pc.rng);
  const studyId = nextId(pc, 'img');
  const minute = Math.min(1400, visit.minute + 40);
  const accession = `A${visit.inst.id.slice(4).toUpperCase()}${String(visit.day)}${String(pc.seq).padStart(4, '0')}`;
  const modality = { system: SYSTEMS.dicomDcm, code: proc.modality };
  const registration = registrationAt(pc, visit.inst);
  const study: ImagingStudy = {
    resourceType: 'ImagingStudy',
    id: studyId,
    identifier: [
      { system: SYSTEMS.dicomUid, value: `urn:oid:${studyUid}` },
      { type: { coding: [{ system: SYSTEMS.identifierType, code: 'ACSN' }] }, value: accession },
    ],
    status: 'available',
    modality: [modality],
    subject: { reference: `Patient/${registration.patientId}` },
    encounter: { reference: `Encounter/${visit.id}` },
    started: isoDateTime(visit.day, minute),
    numberOfSeries: 1,
    numberOfInstances: 1,
    procedureCode: [
      { coding: [{ system: SYSTEMS.loinc, code: proc.loinc, display: proc.display }], text: proc.zh },
    ],
    location: { reference: `Location/${visit.locationId}` },
    description: proc.zh,
    series: [
      {
        uid: seriesUid,
        number: 1,
        modality,
        description: proc.zh,
        numberOfInstances: 1,
        bodySite: { system: 'http://snomed.info/sct', code: proc.snomed, display: proc.bodyPart },
        instance: [
          {
            uid: instanceUid,
            sopClass: { system: SYSTEMS.rfc3986, code: `urn:oid:${SOP_CLASS[proc.modality]}` },
            number: 1,
          },
        ],
      },
    ],
  };
  pc.out.push(study);
  pc.run.dicom?.push({
    studyUid,
    seriesUid,
    instanceUid,
    sopClassUid: SOP_CLASS[proc.modality],
    modality: proc.modality,
    bodyPart: proc.bodyPart,
    day: visit.day,
    time: `${String(Math.floor(minute / 60)).padStart(2, '0')}${String(minute % 60).padStart(2, '0')}00`,
    description: proc.zh,
    // What the institution's PACS knows the patient by: its MRN (病案号), issued by the holder of
    // the Patient record the ImagingStudy refers to (PS3.3 §C.7.1.1, Issuer of Patient ID).
    patientId: registration.mrn,
    issuer: registration.institution,
    patientName: dicomPersonName(pc.person),
    patientSex: pc.person.sex === 'male' ? 'M' : 'F',
    birthDate: isoDate(pc.person.birthDay).replaceAll('-', ''),
    accession,
    institution: visit.inst.name,
  });
  const id = nextId(pc, 'rpt');
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id,
    status: 'final',
    category: [{ coding: [{ system: SYSTEMS.diagnosticServiceSection, code: 'RAD', display: 'Radiology' }] }],
    code: { coding: [{ system: SYSTEMS.loinc, code: proc.loinc, display: proc.display }], text: proc.zh },
    subject: patientRef(pc, visit.inst),
    encounter: { reference: `Encounter/${visit.id}` },
    effectiveDateTime: isoDateTime(visit.day, minute),
    issued: isoDateTime(visit.day, Math.min(1439, minute + 35)).replace('+08:00', '.000+08:00'),
    performer: [{ reference: `Organization/${visit.inst.id}`, display: visit.inst.name }],
    imagingStudy: [{ reference: `ImagingStudy/${studyId}` }],
    conclusion: FINDINGS[key][abnormal ? 1 : 0],
  };
  pc.out.push(report);
  return id;
}
