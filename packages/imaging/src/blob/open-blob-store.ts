import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '@yiyun/fhir';
import { FsBlobStore, type FsBlobStoreOptions } from './fs-blob-store.ts';
import { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.ts';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface OpenBlobStoreOptions {
  /** The backend's name in placement records and health reports (`hot`, `cold`, `replica-1`). */
  readonly name: string;
  /** For `s3:` URLs without userinfo; the composition root reads them from config, never this module. */
  readonly credentials?: S3Credentials;
}

export type BlobStoreConfig =
  | ({ readonly kind: 'fs' } & FsBlobStoreOptions)
  | ({ readonly kind: 's3' } & S3BlobStoreOptions);

const S3_PARAMS = new Set(['endpoint', 'region', 'forcePathStyle']);
/** S3 bucket naming rules (AWS "Bucket naming rules"; MinIO and Ceph follow them). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * `file:/abs/path` or a plain path → `FsBlobStore`;
 * `s3://[key:secret@]bucket[/prefix]?endpoint=http://127.0.0.1:9000&region=us-east-1&forcePathStyle=true`
 * → `S3BlobStore`.
 */
export function openBlobStore(url: string, options: OpenBlobStoreOptions): FsBlobStore | S3BlobStore {
  const config = parseBlobStoreUrl(url, options);
  return config.kind === 'fs' ? new FsBlobStore(config) : new S3BlobStore(config);
}

/** The backend a URL names, without opening it. Throws `AppError('invalid')` naming the problem. */
export function parseBlobStoreUrl(url: string, options: OpenBlobStoreOptions): BlobStoreConfig {
  const { name } = options;
  if (typeof url !== 'string' || url.trim() === '') throw invalid(name, 'is empty');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'fs', name, root: resolve(url) };
  if (scheme === 'file') return { kind: 'fs', name, root: parseFileUrl(url, name) };
  if (scheme === 's3') return parseS3Url(url, options);
  throw invalid(name, `has unsupported scheme "${scheme}:" (use file: or s3:)`);
}

function parseFileUrl(url: string, name: string): string {
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch (err) {
    throw invalid(name, `is not a valid file URL (${(err as Error).message})`);
  }
  if (!isAbsolute(path)) throw invalid(name, 'file: URL must name an absolute path');
  return path;
}

function parseS3Url(url: string, options: OpenBlobStoreOptions): BlobStoreConfig {
  const { name } = options;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(name, 'is not a valid s3:// URL');
  }
  const bucket = parsed.hostname;
  if (bucket === '') throw invalid(name, 's3:// URL has no bucket (s3://bucket/prefix)');
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..'))
    throw invalid(name, `bucket "${bucket}" is not a valid bucket name`);
  if (parsed.port !== '') throw invalid(name, 'put the port in ?endpoint=, not after the bucket');
  for (const key of parsed.searchParams.keys()) {
    if (!S3_PARAMS.has(key))
      throw invalid(name, `has unknown parameter "${key}" (known: ${[...S3_PARAMS].join(', ')})`);
  }
  const endpoint = parsed.searchParams.get('endpoint') ?? undefined;
  if (endpoint !== undefined) assertHttpUrl(endpoint, name);
  const credentials = credentialsOf(parsed, options);
  const path = decodeURIComponent(parsed.pathname).replace(/^\/+/, '');
  const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
  return {
    kind: 's3',
    name,
    bucket,
    region: parsed.searchParams.get('region') ?? 'us-east-1',
    forcePathStyle: parseBoolean(parsed.searchParams.get('forcePathStyle'), endpoint !== undefined, name),
    ...credentials,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(prefix === '' ? {} : { prefix }),
  };
}

function credentialsOf(parsed: URL, options: OpenBlobStoreOptions): S3Credentials {
  if (parsed.username !== '' || parsed.password !== '') {
    if (parsed.username === '' || parsed.password === '') {
      throw invalid(options.name, 'userinfo must be key:secret (s3://key:secret@bucket)');
    }
    return {
      accessKeyId: decodeURIComponent(parsed.username),
      secretAccessKey: decodeURIComponent(parsed.password),
    };
  }
  if (options.credentials !== undefined) return options.credentials;
  throw invalid(options.name, 'needs credentials: s3://key:secret@bucket or the credentials option');
}

function assertHttpUrl(endpoint: string, name: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalid(name, `endpoint "${endpoint}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid(name, 'endpoint must be http: or https:');
}

function parseBoolean(value: string | null, fallback: boolean, name: string): boolean {
  if (value === null) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw invalid(name, `forcePathStyle must be true or false, not "${value}"`);
}

/** Never echoes the URL itself: it may carry a secret key. */
function invalid(name: string, problem: string): AppError {
  return new AppError('invalid', `Blob store URL for "${name}" ${problem}`);
}
