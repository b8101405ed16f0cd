/**
 * Test support for the index, records and service tests (not used by production code): Part 10
 * fixtures written with dcmjs, a tiny ImageStore over a temp directory, callers and a service on a
 * test store.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AppError } from '@yiyun/fhir';
import type { AccessScope, Store } from '@yiyun/store';
import type { ByteRange } from '../blob/port.ts';
import { fhirStudyRecords } from '../records/fhir-study-records.ts';
import type { ImageStore, StorageHealth, WriteReceipt } from '../storage/port.ts';
import type { ImagingAudit, ImagingAuditEvent } from './audit-port.ts';
import { createImagingService, type IndexedImagingService } from './imaging-service.ts';
import type { ImagingCaller } from './port.ts';

interface DcmjsData {
  DicomMetaDictionary: { denaturalizeDataset(dataset: Record<string, unknown>): Record<string, unknown> };
  DicomDict: new (meta: Record<string, unknown>) => { dict: Record<string, unknown>; write(): ArrayBuffer };
}

/** dcmjs ships no type declarations: load it by name and keep to the two classes used. */
async function loadDcmjs(): Promise<DcmjsData> {
  const specifier = 'dcmjs';
  const mod = (await import(specifier)) as { default?: { data?: unknown }; data?: unknown };
  return ((mod.default ?? mod).data ?? mod.data) as DcmjsData;
}

const dcmjs = loadDcmjs();

export const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

/** dcmjs naturalized attributes (keywords); defaults make a valid small CT image. */
export type Attributes = Record<string, unknown>;

/** One Part 10 instance. UIDs default from `study` / `series` / `sop` shorthand. */
export async function part10(attributes: Attributes, metaAttributes: Attributes = {}): Promise<Uint8Array> {
  const { DicomMetaDictionary, DicomDict } = await dcmjs;
  const dataset: Attributes = {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: CT_IMAGE,
    Modality: 'CT',
    PatientID: 'MRN-1',
    PatientName: 'Wang^Fang=王^芳',
    PatientBirthDate: '19800101',
    PatientSex: 'F',
    StudyDate: '20240115',
    StudyTime: '101500',
    SeriesNumber: 1,
    InstanceNumber: 1,
    Rows: 2,
    Columns: 2,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 0,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    PixelData: [new Uint16Array([1, 2, 3, 4]).buffer],
    _vrMap: { PixelData: 'OW' },
    ...attributes,
  };
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset['SOPClassUID'],
    MediaStorageSOPInstanceUID: dataset['SOPInstanceUID'],
    TransferSyntaxUID: EXPLICIT_LE,
    ImplementationClassUID: '2.25.1234567',
    ...metaAttributes,
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}

/** An ImageStore on one temp directory (durability and tiers are the storage module's, tested there). */
export async function tempImageStore(): Promise<ImageStore & AsyncDisposable & { readonly writes: number }> {
  const root = await mkdtemp(join(tmpdir(), 'yiyun-index-'));
  const path = (key: string) => join(root, ...key.split('/').map(encodeURIComponent));
  let writes = 0;
  return {
    get writes() {
      return writes;
    },
    async write(key: string, body: Uint8Array): Promise<WriteReceipt> {
      await mkdir(dirname(path(key)), { recursive: true });
      await writeFile(path(key), body);
      writes++;
      return { copies: ['temp'], underReplicated: false };
    },
    async read(key: string, range?: ByteRange): Promise<Uint8Array> {
      const bytes = await readFile(path(key)).catch(() => {
        throw new AppError('not-found', `no object ${key}`);
      });
      return range ? bytes.subarray(range.start, range.end) : new Uint8Array(bytes);
    },
    async remove(key: string): Promise<void> {
      await rm(path(key), { force: true });
    },
    async health(): Promise<StorageHealth> {
      return { status: 'ok', backends: [], objects: 0, underReplicated: 0, replicas: 1, cipher: 'none' };
    },
    [Symbol.asyncDispose]: () => rm(root, { recursive: true, force: true }),
  };
}

/** Staff or a system of an institution: sees its own records (custodian), stores for it. */
export function institutionCaller(organization: string, extra: Partial<ImagingCaller> = {}): ImagingCaller {
  const scope: AccessScope = {
    kind: 'restricted',
    nonPatientData: true,
    custodian: organization,
    writeCustodian: organization,
    careRelationship: { organization, since: new Date(Date.now() - 90 * 86_400_000), defaultShare: true },
  };
  return { scope, organization, actor: `system-${organization}`, canStore: true, via: 'test', ...extra };
}

/** A resident: their own records only. */
export function residentCaller(patientId: string): ImagingCaller {
  const scope: AccessScope = {
    kind: 'restricted',
    nonPatientData: true,
    person: patientId,
    personRecords: true,
  };
  return { scope, actor: `resident-${patientId}`, canStore: false, via: 'test' };
}

export const PLATFORM: ImagingCaller = {
  scope: { kind: 'all' },
  actor: 'platform',
  canStore: false,
  via: 'test',
};

/** Audit events in memory. */
export function memoryAudit(): ImagingAudit & { readonly events: ImagingAuditEvent[] } {
  const events: ImagingAuditEvent[] = [];
  return {
    events,
    record: async (event) => {
      events.push(event);
    },
  };
}

export interface ImagingFixture extends AsyncDisposable {
  readonly service: IndexedImagingService;
  readonly images: ImageStore & { readonly writes: number };
  readonly audit: ReturnType<typeof memoryAudit>;
}

/** The imaging service on a test store, with FHIR records over its unrestricted repository. */
export async function openImagingFixture(
  store: Store,
  options: { syncIntervalMs?: number } = {},
): Promise<ImagingFixture> {
  const images = await tempImageStore();
  const audit = memoryAudit();
  const records = fhirStudyRecords({ repo: store.repository(), registry: store.registry });
  const service = await createImagingService({
    sql: store.database.sql,
    images,
    records,
    audit,
    ...(options.syncIntervalMs !== undefined ? { syncIntervalMs: options.syncIntervalMs } : {}),
  });
  return { service, images, audit, [Symbol.asyncDispose]: () => images[Symbol.asyncDispose]() };
}
