export { FsBlobStore, type FsBlobStoreOptions } from './fs-blob-store.ts';
export { assertValidKey, assertValidPrefix, keyToRelativePath } from './key.ts';
export {
  type BlobStoreConfig,
  type OpenBlobStoreOptions,
  openBlobStore,
  parseBlobStoreUrl,
  type S3Credentials,
} from './open-blob-store.ts';
export * from './port.ts';
export { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.ts';
