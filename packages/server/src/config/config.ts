import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The one configuration schema, parsed once at start-up and frozen. Environment variables are
 * `YIYUN_*` (plus the ecosystem's `PORT` and `DATABASE_URL`); CLI flags override them.
 */
/** A comma-separated list of origins (`https://a.example,https://b.example`). */
const originList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().url('must be a comma-separated list of origins')));

/** A known DICOM peer: a registered system of an institution (YIYUN_DICOM_PEERS). */
export interface DicomPeerConfig {
  readonly aeTitle: string;
  readonly host: string;
  readonly port: number;
  /** The institution (`Organization` id) whose system it is. */
  readonly organization: string;
  readonly canStore: boolean;
  readonly canRetrieve: boolean;
}

const PEER =
  /^([\x20-\x2b\x2d-\x3f\x41-\x5b\x5d-\x7e]{1,16})@([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})=([A-Za-z0-9\-.]{1,64})((?::(?:store|retrieve))*)$/;

const schema = z.object({
  port: z.coerce.number().int().min(0).max(65_535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  baseUrl: z.string().url().optional(),
  maxBodyBytes: z.coerce.number().int().min(1024),
  maxUploadBytes: z.coerce.number().int().min(1024),
  importAllowedOrigins: originList,
  /** Origins whose browser apps may call the API (CORS allow-list); none by default. */
  corsOrigins: originList,
  /** PEM certificate chain and private key files: serve HTTPS (and send HSTS). */
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  defaultCount: z.coerce.number().int().min(1).max(1000),
  maxCount: z.coerce.number().int().min(1).max(10_000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  /** A finished encounter keeps its care relationship this many days (issue #4). */
  careWindowDays: z.coerce.number().int().min(0).max(3650),
  /** Regional sharing when a resident has no Consent on file: true = opt-out regime. */
  defaultShare: z.enum(['true', 'false']).transform((v) => v === 'true'),
  breakGlassMinutes: z.coerce.number().int().min(1).max(1440),
  /** Lifetime of access tokens in seconds (short: revocation is the exception, expiry the rule). */
  accessTokenSeconds: z.coerce
    .number()
    .int()
    .min(60)
    .max(24 * 3600),
  /** Audit chain hash: sha256, or sm3 where a 国密 assessment requires it. */
  auditHash: z.enum(['sha256', 'sm3']),
  /**
   * 32-byte key (base64) that encrypts signing keys and TOTP secrets at rest; default: generated
   * once into <data>/secrets/platform.key (mode 600). Production: from a secret manager.
   */
  masterKey: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64')
    .optional(),
  /** `client_id:secret` of a platform system client registered at start-up (operators' scripts). */
  bootstrapClient: z
    .string()
    .regex(/^[A-Za-z0-9._-]{3,64}:.{32,256}$/, 'must be client_id:secret (secret of at least 32 characters)')
    .optional(),
  /** Resident registry: posterior match probability at or above which records link automatically. */
  mpiAutoLink: z.coerce.number().gt(0).max(1).optional(),
  /** At or above this (below the auto-link threshold) a candidate goes to the review queue. */
  mpiReview: z.coerce.number().gt(0).max(1).optional(),
  /** Hot image tier: a local directory (default `<data>/images/hot`). */
  imageHotStore: z.string().min(1).optional(),
  /**
   * Cold image tier(s), comma-separated: `s3://[key:secret@]bucket[/prefix]?endpoint=…&region=…` or a
   * directory (default `<data>/images/cold`, a second local directory for the embedded platform).
   */
  imageColdStores: z.string().min(1).optional(),
  /** Copies of every image across the tiers' backends. */
  imageReplicas: z.coerce.number().int().min(1).max(5),
  /** Encryption of stored images: AES-256-GCM, SM4-CTR + HMAC-SM3 (国密), or none. */
  imageCipher: z.enum(['aes-256-gcm', 'sm4-ctr-hmac-sm3', 'none']),
  /** Image master keys `id:base64(32 bytes),…`, newest first; default: derived from the platform key. */
  imageKeys: z
    .string()
    .regex(
      /^[A-Za-z0-9._-]{1,32}:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9._-]{1,32}:[A-Za-z0-9+/=]{43,44})*$/,
      'must be id:base64key[,id:base64key…] with 32-byte keys',
    )
    .optional(),
  /** S3 credentials when the cold-store URL carries none. */
  s3AccessKeyId: z.string().min(1).optional(),
  s3SecretAccessKey: z.string().min(1).optional(),
  /** Studies older than this many days and idle for `imageIdleDays` move hot → cold. */
  imageHotDays: z.coerce.number().int().min(0).max(36_500),
  imageIdleDays: z.coerce.number().int().min(0).max(36_500),
  /** Hours between storage maintenance runs (lifecycle, then scrub); 0 = never (run `yiyun imaging`). */
  imageMaintenanceHours: z.coerce
    .number()
    .min(0)
    .max(24 * 365),
  /** DIMSE listener: port (0 = any free port), host (default: `host`) and AE title; `off` disables it. */
  dicomPort: z.union([z.literal('off'), z.coerce.number().int().min(0).max(65_535)]),
  dicomHost: z.string().min(1).optional(),
  dicomAeTitle: z
    .string()
    .regex(/^[\x20-\x5b\x5d-\x7e]{1,16}$/, 'must be 1–16 printable ASCII characters without backslash'),
  /**
   * Known DICOM peers, comma-separated `AE@host:port=OrganizationId[:store][:retrieve]` (registered
   * systems of an institution); associations from other AEs are refused.
   */
  dicomPeers: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const peers: DicomPeerConfig[] = [];
      for (const item of (v ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const m = PEER.exec(item);
        if (!m) {
          ctx.addIssue({
            code: 'custom',
            message: `"${item}" is not AE@host:port=OrganizationId[:store][:retrieve]`,
          });
          return z.NEVER;
        }
        const [, aeTitle = '', host = '', port = '', organization = '', flags = ''] = m;
        const rights = flags.split(':').filter(Boolean);
        peers.push({
          aeTitle,
          host,
          port: Number(port),
          organization,
          canStore: rights.length === 0 || rights.includes('store'),
          canRetrieve: rights.length === 0 || rights.includes('retrieve'),
        });
      }
      return peers;
    }),
  /** Residents of the synthetic demo region loaded into an empty store on start; 0 = never (production). */
  demoResidents: z.coerce
    .number({ message: 'must be a whole number (0 turns the demo region off)' })
    .int('must be a whole number (0 turns the demo region off)')
    .min(0, 'must be 0 (off) or more')
    .max(10_000_000, 'must be at most 10000000'),
});

export type Config = Readonly<z.infer<typeof schema>> & { readonly baseUrl: string };

/** Which environment variable feeds each key (for error messages and docs). */
export const ENV_KEYS: Readonly<Record<keyof z.infer<typeof schema>, string>> = {
  port: 'PORT',
  host: 'YIYUN_HOST',
  dataDir: 'YIYUN_DATA',
  databaseUrl: 'DATABASE_URL',
  baseUrl: 'YIYUN_BASE_URL',
  maxBodyBytes: 'YIYUN_MAX_BODY_BYTES',
  maxUploadBytes: 'YIYUN_MAX_UPLOAD_BYTES',
  importAllowedOrigins: 'YIYUN_IMPORT_ALLOWED_ORIGINS',
  corsOrigins: 'YIYUN_CORS_ORIGINS',
  tlsCert: 'YIYUN_TLS_CERT',
  tlsKey: 'YIYUN_TLS_KEY',
  defaultCount: 'YIYUN_DEFAULT_COUNT',
  maxCount: 'YIYUN_MAX_COUNT',
  logLevel: 'YIYUN_LOG_LEVEL',
  demoResidents: 'YIYUN_DEMO_RESIDENTS',
  careWindowDays: 'YIYUN_CARE_WINDOW_DAYS',
  defaultShare: 'YIYUN_DEFAULT_SHARE',
  breakGlassMinutes: 'YIYUN_BREAK_GLASS_MINUTES',
  auditHash: 'YIYUN_AUDIT_HASH',
  accessTokenSeconds: 'YIYUN_ACCESS_TOKEN_SECONDS',
  masterKey: 'YIYUN_MASTER_KEY',
  bootstrapClient: 'YIYUN_BOOTSTRAP_CLIENT',
  mpiAutoLink: 'YIYUN_MPI_AUTO_LINK',
  mpiReview: 'YIYUN_MPI_REVIEW',
  imageHotStore: 'YIYUN_HOT_STORE',
  imageColdStores: 'YIYUN_COLD_STORE',
  imageReplicas: 'YIYUN_IMAGE_REPLICAS',
  imageCipher: 'YIYUN_IMAGE_CIPHER',
  imageKeys: 'YIYUN_IMAGE_KEYS',
  s3AccessKeyId: 'YIYUN_S3_ACCESS_KEY_ID',
  s3SecretAccessKey: 'YIYUN_S3_SECRET_ACCESS_KEY',
  imageHotDays: 'YIYUN_IMAGE_HOT_DAYS',
  imageIdleDays: 'YIYUN_IMAGE_IDLE_DAYS',
  imageMaintenanceHours: 'YIYUN_IMAGE_MAINTENANCE_HOURS',
  dicomPort: 'YIYUN_DICOM_PORT',
  dicomHost: 'YIYUN_DICOM_HOST',
  dicomAeTitle: 'YIYUN_DICOM_AE_TITLE',
  dicomPeers: 'YIYUN_DICOM_PEERS',
};

const DEFAULTS = {
  port: '8080',
  host: '127.0.0.1',
  dataDir: './yiyun-data',
  maxBodyBytes: String(64 * 1024 * 1024),
  maxUploadBytes: String(4 * 1024 * 1024 * 1024),
  importAllowedOrigins: '',
  corsOrigins: '',
  defaultCount: '20',
  maxCount: '1000',
  logLevel: 'info',
  demoResidents: '2000',
  careWindowDays: '90',
  defaultShare: 'true',
  breakGlassMinutes: '60',
  auditHash: 'sha256',
  accessTokenSeconds: '900',
  imageReplicas: '2',
  imageCipher: 'aes-256-gcm',
  imageHotDays: '90',
  imageIdleDays: '30',
  imageMaintenanceHours: '24',
  dicomPort: '11112',
  dicomAeTitle: 'YIYUN',
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses configuration from the environment and CLI overrides; a bad value names its key. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  overrides: Partial<Record<keyof typeof ENV_KEYS, string | number | undefined>> = {},
): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, envName] of Object.entries(ENV_KEYS)) {
    const fromEnv = env[envName] === '' ? undefined : env[envName];
    raw[key] = overrides[key as keyof typeof ENV_KEYS] ?? fromEnv ?? DEFAULTS[key as keyof typeof DEFAULTS];
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const envName = ENV_KEYS[key as keyof typeof ENV_KEYS] ?? key;
    throw new ConfigError(`Invalid configuration ${key} (${envName}): ${issue?.message ?? 'invalid value'}`);
  }
  const value = parsed.data;
  if ((value.tlsCert === undefined) !== (value.tlsKey === undefined))
    throw new ConfigError(
      'Invalid configuration tlsCert (YIYUN_TLS_CERT): set both YIYUN_TLS_CERT and YIYUN_TLS_KEY',
    );
  if (value.mpiAutoLink !== undefined && value.mpiReview !== undefined && value.mpiReview > value.mpiAutoLink)
    throw new ConfigError(
      'Invalid configuration mpiReview (YIYUN_MPI_REVIEW): must not exceed YIYUN_MPI_AUTO_LINK',
    );
  const host = value.host === '0.0.0.0' || value.host === '::' ? 'localhost' : value.host;
  const scheme = value.tlsCert ? 'https' : 'http';
  return Object.freeze({
    ...value,
    dataDir: resolve(value.dataDir),
    importAllowedOrigins: value.importAllowedOrigins.map((o) => new URL(o).origin),
    corsOrigins: value.corsOrigins.map((o) => new URL(o).origin),
    baseUrl: (value.baseUrl ?? `${scheme}://${host}:${value.port}`).replace(/\/$/, ''),
  });
}

/** The resident registry's configured decision thresholds (absent: the stored model's). */
export function registryThresholds(config: Config): { autoLink?: number; review?: number } {
  return {
    ...(config.mpiAutoLink !== undefined ? { autoLink: config.mpiAutoLink } : {}),
    ...(config.mpiReview !== undefined ? { review: config.mpiReview } : {}),
  };
}
