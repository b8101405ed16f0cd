export type { StorageLogger } from './context.ts';
export {
  createImageStore,
  type ImageStoreOptions,
  type ManagedImageStore,
} from './image-store.ts';
export type { LifecycleOptions, LifecycleReport } from './lifecycle.ts';
export { IMAGE_STORAGE_MIGRATIONS } from './migrations.ts';
export type { ImageObjectMeta, ImageStore, StorageHealth, WriteReceipt } from './port.ts';
export type { RotateOptions, RotateReport } from './rotate.ts';
export type { ScrubOptions, ScrubReport } from './scrub.ts';
export type { StagedObject, StatementCompanion } from './staging.ts';
