/** The imaging service (ImagingService over the index, the image store and FHIR records) and its ports. */
export type { ImagingAudit, ImagingAuditEvent } from './audit-port.ts';
export {
  createImagingService,
  type ImagingServiceOptions,
  type IndexedImagingService,
} from './imaging-service.ts';
export type * from './port.ts';
export type { ImagingStudyRecord, SeriesSummary, StudyRecords, StudySummary } from './records-port.ts';
export type { ImagingLogger } from './store-instance.ts';
