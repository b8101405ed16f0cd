export { codeForStatus, diagnosticsOf, parseServerUrl, type ServerTarget } from './http.ts';
export {
  type LoadOptions,
  type LoadProgress,
  type LoadResult,
  loadViaImport,
  type NdjsonInput,
  progressCount,
} from './import-loader.ts';
