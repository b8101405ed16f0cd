import type { ImagingStudy, Patient } from '@medplum/fhirtypes';
import {
  AppError,
  CUSTODIAN_SYSTEM,
  custodianOf,
  parseSearchRequest,
  type SearchParamRegistry,
  sensitivityLabels,
} from '@yiyun/fhir';
import type { FhirRepository, StoredResource } from '@yiyun/store';
import type { DicomPatient } from '../dicom/port.ts';
import type { ImagingStudyRecord, StudyRecords, StudySummary } from '../service/records-port.ts';
import {
  DICOM_UID_SYSTEM,
  imagingStudyResource,
  isFuller,
  sameContent,
  studyUidOfResource,
} from './imaging-study.ts';
import { patientFromDicom } from './patient.ts';

export interface FhirStudyRecordsOptions {
  /** A repository that sees and writes everything (the platform acting for the sending institution). */
  readonly repo: FhirRepository;
  /** Search parameters, to parse the lookups (the store's registry). */
  readonly registry: SearchParamRegistry;
  /** UTC offset of DICOM times that carry no TimezoneOffsetFromUTC (default `+08:00`, China Standard Time). */
  readonly timezone?: string;
  /** `Endpoint/<id>` of the platform's DICOMweb service, referenced from every ImagingStudy written. */
  readonly endpoint?: string;
}

/** FHIR search value escaping (http://hl7.org/fhir/R4/search.html#escaping). */
function escapeValue(value: string): string {
  return value.replace(/[\\,$|]/g, (c) => `\\${c}`);
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** The key the FHIR server's conditional create/update of the same criteria locks (server/fhir/handlers/conditional.ts). */
function conditionalLockKey(resourceType: string, criteria: URLSearchParams): string {
  const pairs = [...criteria].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `cc:${resourceType}:${new URLSearchParams(pairs).toString()}`;
}

async function searchTwo(
  repo: FhirRepository,
  registry: SearchParamRegistry,
  type: string,
  criteria: URLSearchParams,
): Promise<StoredResource[]> {
  const parsed = parseSearchRequest(type, criteria, registry, { strict: true, defaultCount: 2, maxCount: 2 });
  const result = await repo.search({ ...parsed, total: 'none', include: [], revinclude: [] });
  return [...result.matches];
}

async function readIfExists(
  repo: FhirRepository,
  type: string,
  id: string,
): Promise<StoredResource | undefined> {
  try {
    return await repo.read(type, id);
  } catch (err) {
    if (err instanceof AppError && (err.code === 'not-found' || err.code === 'gone')) return undefined;
    throw err;
  }
}

/**
 * StudyRecords over the FHIR repository. Both writes are conditional under a transaction lock
 * shared by every replica (`FhirRepository.lock`), so two replicas storing instances of one
 * study at once make one Patient and one ImagingStudy.
 */
export function fhirStudyRecords(options: FhirStudyRecordsOptions): StudyRecords {
  const { repo, registry } = options;
  const timezone = options.timezone ?? '+08:00';
  const tag = (organization: string) => `${CUSTODIAN_SYSTEM}|${organization}`;

  async function findPatient(tx: FhirRepository, patient: DicomPatient, organization: string) {
    const id = patient.id?.trim() ?? '';
    const values = [...new Set([id, id.toUpperCase()])].map(escapeValue).join(',');
    const criteria = new URLSearchParams({ identifier: values, _tag: tag(organization) });
    const found = await searchTwo(tx, registry, 'Patient', criteria);
    if (found[0]) return found[0].id;
    // Issuer of Patient ID (0010,0021) naming another institution of the region: the MRN is that
    // institution's (e.g. a hospital images a resident registered at their community centre).
    const issuer = patient.issuer?.trim();
    if (issuer && issuer !== organization && FHIR_ID.test(issuer)) {
      criteria.set('_tag', tag(issuer));
      const atIssuer = await searchTwo(tx, registry, 'Patient', criteria);
      if (atIssuer[0]) return atIssuer[0].id;
    }
    // Senders that use the platform's own Patient id as Patient ID (the synthetic region does).
    if (!FHIR_ID.test(id)) return undefined;
    const byId = await readIfExists(tx, 'Patient', id);
    return byId && custodianOf(byId) === organization ? byId.id : undefined;
  }

  return {
    async resolvePatient(patient, organization) {
      const id = patient.id?.trim();
      if (!id) return (await repo.create(patientFromDicom(patient, organization))).resource.id;
      return repo.transaction(async (tx) => {
        await tx.lock(`imaging-patient:${organization}:${id}`);
        const existing = await findPatient(tx, patient, organization);
        if (existing) return existing;
        const created = await tx.create(patientFromDicom(patient, organization) satisfies Patient);
        return created.resource.id;
      });
    },

    async upsertImagingStudy(summary: StudySummary, patientId, organization): Promise<ImagingStudyRecord> {
      const criteria = new URLSearchParams({ identifier: `${DICOM_UID_SYSTEM}|urn:oid:${summary.studyUid}` });
      return repo.transaction(async (tx) => {
        await tx.lock(conditionalLockKey('ImagingStudy', criteria));
        criteria.set('_tag', tag(organization));
        const found = (await searchTwo(tx, registry, 'ImagingStudy', criteria))[0] as
          | (ImagingStudy & StoredResource)
          | undefined;
        const input = {
          summary,
          patientId,
          organization,
          timezone,
          ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        };
        if (found && isFuller(found, summary)) return { id: found.id, labels: sensitivityLabels(found) };
        const next = imagingStudyResource(found, input);
        if (found && sameContent(found, next)) return { id: found.id, labels: sensitivityLabels(found) };
        const written = found ? await tx.update(next) : await tx.create(next);
        return { id: written.resource.id, labels: sensitivityLabels(written.resource) };
      });
    },

    async studyUidOf(imagingStudyId) {
      if (!FHIR_ID.test(imagingStudyId)) return undefined;
      const study = await readIfExists(repo, 'ImagingStudy', imagingStudyId);
      return study ? studyUidOfResource(study as ImagingStudy) : undefined;
    },
  };
}
