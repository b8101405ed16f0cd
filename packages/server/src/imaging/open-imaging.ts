import { join } from 'node:path';
import type { AuditLog } from '@yiyun/auth';
import { AppError } from '@yiyun/fhir';
import {
  type BlobStore,
  type CipherSuite,
  createImageStore,
  createImagingService,
  createKeyRing,
  createObjectCipher,
  fhirStudyRecords,
  type IndexedImagingService,
  type ManagedImageStore,
  openBlobStore,
  parseKeyRing,
} from '@yiyun/imaging';
import type { ResidentRegistry } from '@yiyun/mpi';
import type { Store } from '@yiyun/store';
import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
import { withResidentRegistry } from '../registry/linked-repository.ts';
import { imagingAudit } from './audit.ts';

export type ImagingConfig = Pick<
  Config,
  | 'dataDir'
  | 'imageHotStore'
  | 'imageColdStores'
  | 'imageReplicas'
  | 'imageCipher'
  | 'imageKeys'
  | 's3AccessKeyId'
  | 's3SecretAccessKey'
>;

export interface ImagingOptions {
  readonly store: Store;
  /** Links the Patient records imaging creates to regional persons (absent: they stay unlinked). */
  readonly residentRegistry?: ResidentRegistry;
  readonly config: ImagingConfig;
  /** 32 bytes derived from the platform master key: the image master key when none is configured. */
  readonly derivedMasterKey: Uint8Array;
  readonly audit?: AuditLog;
  readonly logger: Logger;
  /** Public URL of the server: the DICOMweb Endpoint every ImagingStudy references is `<baseUrl>/dicomweb`. */
  readonly baseUrl?: string;
}

/** The cloud PACS's parts the HTTP platform, the DIMSE listener and the CLI use. */
export interface Imaging {
  readonly service: IndexedImagingService;
  readonly images: ManagedImageStore;
  close(): Promise<void>;
}

/** Id of the image master key derived from the platform's master key (the default ring). */
const DERIVED_KEY_ID = 'platform-1';

/**
 * The image master keys: the configured ring (newest first), else one key derived from the
 * platform's. The derived key always stays in the ring as a retired key, so images stored before
 * an operator configured keys stay readable until `yiyun imaging rotate-keys` re-wraps them.
 */
function keyRing(config: ImagingConfig, derived: Uint8Array) {
  const derivedKey = { id: DERIVED_KEY_ID, key: Buffer.from(derived) };
  if (!config.imageKeys) return createKeyRing(derivedKey);
  const configured = parseKeyRing(config.imageKeys);
  if (configured.keys.has(DERIVED_KEY_ID)) return configured;
  const retired = [...configured.keys]
    .filter(([id]) => id !== configured.current.id)
    .map(([id, key]) => ({ id, key }));
  return createKeyRing(configured.current, [...retired, derivedKey]);
}

function backends(config: ImagingConfig): { hot: BlobStore & Closable; cold: (BlobStore & Closable)[] } {
  const credentials =
    config.s3AccessKeyId && config.s3SecretAccessKey
      ? { accessKeyId: config.s3AccessKeyId, secretAccessKey: config.s3SecretAccessKey }
      : undefined;
  const hot = openBlobStore(config.imageHotStore ?? join(config.dataDir, 'images', 'hot'), { name: 'hot' });
  const urls = (config.imageColdStores ?? join(config.dataDir, 'images', 'cold'))
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const cold = urls.map((url, i) =>
    openBlobStore(url, {
      name: urls.length === 1 ? 'cold' : `cold-${i + 1}`,
      ...(credentials ? { credentials } : {}),
    }),
  );
  return { hot, cold };
}

const FLUSH_INTERVAL_MS = 5_000;

/** The platform's DICOMweb service as a FHIR Endpoint, so a FHIR client finds a study's images. */
const ENDPOINT_ID = 'yiyun-dicomweb';

async function ensureDicomwebEndpoint(store: Store, baseUrl: string): Promise<string> {
  const address = `${baseUrl.replace(/\/+$/, '')}/dicomweb`;
  const repo = store.repository();
  const current = await repo.read('Endpoint', ENDPOINT_ID).catch(() => undefined);
  if ((current as { address?: string } | undefined)?.address !== address)
    await repo
      .update({
        resourceType: 'Endpoint',
        id: ENDPOINT_ID,
        status: 'active',
        name: 'Yiyun DICOMweb (云影像)',
        connectionType: {
          system: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type',
          code: 'dicom-wado-rs',
        },
        payloadType: [{ text: 'DICOM' }],
        payloadMimeType: ['application/dicom'],
        address,
      })
      // Another replica starting at the same moment wrote it first: same content, nothing to do.
      .catch((err: unknown) => {
        if (!(err instanceof AppError && err.code === 'conflict')) throw err;
      });
  return `Endpoint/${ENDPOINT_ID}`;
}

interface Closable {
  close(): Promise<void> | void;
}

/**
 * Builds the cloud PACS from configuration (composition root only): blob backends, the envelope
 * cipher, the tiered replicated image store, the DICOM index and the imaging service, which writes
 * Patient and ImagingStudy records through `repository` and audits through the platform's log.
 */
export async function openImaging(options: ImagingOptions): Promise<Imaging> {
  const { config, logger } = options;
  const { hot, cold } = backends(config);
  const suite: CipherSuite = config.imageCipher;
  const cipher = createObjectCipher(
    suite === 'none' ? { suite } : { suite, keyRing: keyRing(config, options.derivedMasterKey) },
  );
  const log = logger.child({ module: 'imaging' });
  const { store } = options;
  // Imaging acts for the sending institution; the caller's access was checked by the service.
  const repository = options.residentRegistry
    ? withResidentRegistry(store.repository(), { registry: options.residentRegistry, logger: log })
    : store.repository();
  const endpoint = options.baseUrl ? await ensureDicomwebEndpoint(store, options.baseUrl) : undefined;
  const images = await createImageStore({
    sql: store.database.sql,
    hot,
    cold,
    replicas: config.imageReplicas,
    cipher,
    logger: log,
  });
  const service = await createImagingService({
    sql: store.database.sql,
    images,
    records: fhirStudyRecords({
      repo: repository,
      registry: store.registry,
      ...(endpoint ? { endpoint } : {}),
    }),
    ...(options.audit ? { audit: imagingAudit(options.audit) } : {}),
    logger: log,
  });
  // ImagingStudy records lag the index by at most this much while instances arrive one by one (a
  // FHIR write per instance would halve ingest); a DIMSE association's end flushes at once.
  const flushing = { running: Promise.resolve() as Promise<unknown> };
  const timer = setInterval(() => {
    flushing.running = flushing.running
      .then(() => service.flush())
      .catch((err: Error) => log.error({ err: { message: err.message } }, 'imaging flush failed'));
  }, FLUSH_INTERVAL_MS);
  timer.unref();
  return {
    service,
    images,
    async close() {
      clearInterval(timer);
      await flushing.running;
      await service
        .flush()
        .catch((err: Error) => log.error({ err: { message: err.message } }, 'imaging flush failed'));
      await images.idle();
      await Promise.allSettled([hot, ...cold].map((b) => b.close()));
    },
  };
}
