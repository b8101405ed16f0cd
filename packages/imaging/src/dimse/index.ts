export { startDimseServer } from './server.ts';
export type { DimseLogger, DimsePeer, DimseServer, DimseServerOptions } from './types.ts';
