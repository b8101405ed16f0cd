/** @yiyun/imaging — the cloud PACS (issue #6): DICOMweb, DIMSE, index, tiered encrypted image storage. */
export * from './blob/index.ts';
export * from './crypto/index.ts';
export * from './dicom/index.ts';
export { type DicomwebDeps, type DicomwebLogger, dicomwebRoutes } from './dicomweb/index.ts';
export * from './dimse/index.ts';
export { revokeShare, shareStudy } from './index/index.ts';
export { initPixelCodecs } from './pixels/index.ts';
export * from './records/index.ts';
export * from './service/index.ts';
export * from './storage/index.ts';
