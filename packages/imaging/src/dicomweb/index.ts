/** The DICOMweb edge (PS3.18): `dicomwebRoutes(deps)` to mount at `/dicomweb`. See README.md. */
export { capabilitiesSummary, capabilitiesWadl } from './capabilities.ts';
export type { DicomwebDeps } from './context.ts';
export { ALLOWED_HEADERS, dicomwebCors, EXPOSED_HEADERS } from './cors.ts';
export { type DicomwebLogger, NotAcceptableError } from './errors.ts';
export {
  type MediaRange,
  type MediaType,
  negotiate,
  type Offer,
  parseAccept,
  parseMediaType,
} from './media-type.ts';
export { chunksOf, MultipartParser, type MultipartPart, readMultipart } from './multipart-reader.ts';
export { multipartBytes, multipartStream, newBoundary, type OutgoingPart } from './multipart-writer.ts';
export { parseQidoQuery } from './query.ts';
export { dicomwebRoutes } from './routes.ts';
