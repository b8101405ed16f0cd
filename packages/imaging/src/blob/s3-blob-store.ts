import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { AppError } from '@yiyun/fhir';
import { assertValidKey, assertValidPrefix } from './key.ts';
import {
  type BlobHealth,
  BlobNotFoundError,
  type BlobStore,
  BlobUnavailableError,
  type ByteRange,
} from './port.ts';
import { assertValidRange } from './range.ts';

export interface S3BlobStoreOptions {
  readonly name: string;
  readonly bucket: string;
  /** `http://127.0.0.1:9000` for MinIO and the like; absent for AWS itself. */
  readonly endpoint?: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Path-style URLs (`endpoint/bucket/key`): MinIO, Ceph RGW and most private deployments need it. */
  readonly forcePathStyle: boolean;
  /** Prepended to every key (`pacs/`), so that one bucket can hold several stores. */
  readonly prefix?: string;
  /** Concurrent sockets to the endpoint (default 64: ingest runs many puts in parallel). */
  readonly maxSockets?: number;
}

/**
 * Timeouts kept short on purpose: the image store fails over to another copy when a backend is
 * down, and that is only useful if "down" is known in seconds, not after the SDK's defaults.
 */
const CONNECTION_TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_ATTEMPTS = 2;

/** Objects in an S3-compatible bucket through the AWS SDK v3 (MinIO, Ceph RGW, OSS, COS, AWS). */
export class S3BlobStore implements BlobStore {
  readonly name: string;
  readonly bucket: string;
  readonly #prefix: string;
  readonly #client: S3Client;

  constructor(options: S3BlobStoreOptions) {
    this.name = options.name;
    this.bucket = options.bucket;
    this.#prefix = options.prefix ?? '';
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
    this.#client = new S3Client({
      region: options.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // Checksums only where the API requires them: S3-compatible servers differ in their support
      // of the newer flexible checksums, and our own SHA-256 and chunk tags guard the bytes.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: MAX_ATTEMPTS,
      requestHandler: {
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        requestTimeout: REQUEST_TIMEOUT_MS,
        httpAgent: new HttpAgent(agentOptions),
        httpsAgent: new HttpsAgent(agentOptions),
      },
    });
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    assertValidKey(key);
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: this.#prefix + key,
      Body: body,
      ContentLength: body.length,
    });
    await this.#run(key, () => this.#client.send(command));
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    assertValidKey(key);
    if (range !== undefined) {
      assertValidRange(range);
      // An empty range has no Range header form (RFC 9110 §14.1.2): answer it after checking presence.
      if (range.start === range.end) {
        if (!(await this.has(key))) throw new BlobNotFoundError(this.name, key);
        return new Uint8Array();
      }
    }
    const input = {
      Bucket: this.bucket,
      Key: this.#prefix + key,
      ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end - 1}` }),
    };
    try {
      const out = await this.#client.send(new GetObjectCommand(input));
      if (out.Body === undefined) return new Uint8Array();
      return await out.Body.transformToByteArray();
    } catch (err) {
      // 416: the range starts at or past the end; clamp to nothing, as the file backend does.
      if (range !== undefined && statusOf(err) === 416) return new Uint8Array();
      throw this.#failure(err, key);
    }
  }

  async has(key: string): Promise<boolean> {
    assertValidKey(key);
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.#prefix + key }));
      return true;
    } catch (err) {
      const failure = this.#failure(err, key);
      if (failure instanceof BlobNotFoundError) return false;
      throw failure;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    // S3 DeleteObject succeeds for an absent key, which is the idempotence the port asks for.
    const command = new DeleteObjectCommand({ Bucket: this.bucket, Key: this.#prefix + key });
    await this.#run(key, () => this.#client.send(command));
  }

  async *list(prefix = ''): AsyncIterable<string> {
    assertValidPrefix(prefix);
    const pages = paginateListObjectsV2(
      { client: this.#client, pageSize: 1000 },
      { Bucket: this.bucket, Prefix: this.#prefix + prefix },
    );
    try {
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined) yield object.Key.slice(this.#prefix.length);
        }
      }
    } catch (err) {
      throw this.#failure(err, prefix);
    }
  }

  async check(): Promise<BlobHealth> {
    try {
      await this.#client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.#prefix, MaxKeys: 1 }),
        {
          abortSignal: AbortSignal.timeout(CONNECTION_TIMEOUT_MS * 2),
        },
      );
      return { name: this.name, ok: true };
    } catch (err) {
      return { name: this.name, ok: false, detail: describe(err) };
    }
  }

  /** Closes the keep-alive sockets. */
  async close(): Promise<void> {
    this.#client.destroy();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #run(key: string, request: () => Promise<unknown>): Promise<void> {
    try {
      await request();
    } catch (err) {
      throw this.#failure(err, key);
    }
  }

  #failure(err: unknown, key: string): Error {
    if (err instanceof AppError) return err;
    const status = statusOf(err);
    const code = err instanceof Error ? err.name : '';
    if (code === 'NoSuchKey' || code === 'NotFound' || (status === 404 && code !== 'NoSuchBucket')) {
      return new BlobNotFoundError(this.name, key);
    }
    // Everything else — refused or timed-out connections, 5xx, a missing bucket, refused
    // credentials — means this backend cannot serve us now: the caller fails over.
    return new BlobUnavailableError(this.name, describe(err), { cause: err });
  }
}

function statusOf(err: unknown): number | undefined {
  if (err instanceof S3ServiceException) return err.$metadata.httpStatusCode;
  const status = (err as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** A short reason for logs and health reports: error name, status or errno; never a credential. */
function describe(err: unknown): string {
  const status = statusOf(err);
  const errno = (err as { code?: unknown } | null)?.code;
  const name = err instanceof Error ? err.name : 'error';
  const parts = [
    name,
    status === undefined ? undefined : `HTTP ${status}`,
    typeof errno === 'string' ? errno : undefined,
  ];
  return parts.filter((p) => p !== undefined && p !== '').join(' ');
}
