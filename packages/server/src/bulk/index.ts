import { join } from 'node:path';
import { asQueryable, JobStore, type Store } from '@yiyun/store';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { OperationSpec } from '../fhir/operations/registry.ts';
import type { ResourceValidator } from '../fhir/types.ts';
import { reindexJobHandler, reindexOperation } from '../operations/reindex.ts';
import { exportJobHandler } from './export-job.ts';
import { exportOperation } from './export-operation.ts';
import { BulkFiles } from './files.ts';
import { importJobHandler } from './import-job.ts';
import { importOperation } from './import-operation.ts';
import { JobRunner } from './job-runner.ts';
import { bulkRoutes } from './routes.ts';

export interface BulkOptions {
  readonly store: Store;
  readonly validator: ResourceValidator;
  readonly logger: Logger;
  /** Public origin of the server, e.g. `http://localhost:8080` (no trailing slash). */
  readonly publicUrl: string;
  readonly dataDir: string;
  readonly maxUploadBytes: number;
  readonly importAllowedOrigins: readonly string[];
  /** Access control is on: manifests say their files need the bearer token. */
  readonly requiresAccessToken?: boolean;
}

export interface Bulk {
  /** Mounted at `/bulk`. */
  readonly routes: Hono;
  readonly operations: readonly OperationSpec[];
  readonly runner: JobRunner;
}

/** Asynchronous operations (`$export`, `$import`, `$reindex`): durable jobs, NDJSON files, status polling. */
export function createBulk(options: BulkOptions): Bulk {
  const jobs = new JobStore(asQueryable(options.store.database.sql));
  const files = new BulkFiles(join(options.dataDir, 'bulk'));
  const base = `${options.publicUrl}/bulk`;
  const statusUrl = (id: string) => `${base}/status/${id}`;
  const fileUrl = (id: string, name: string) => `${base}/files/${id}/${name}`;
  const uploadUrl = (id: string) => `${base}/uploads/${id}`;
  const policy = { files, uploadUrlPrefix: `${base}/uploads/`, allowedOrigins: options.importAllowedOrigins };
  const runner = new JobRunner({
    jobs,
    logger: options.logger,
    handlers: {
      export: exportJobHandler(options.store, files, fileUrl, options.requiresAccessToken ?? false),
      import: importJobHandler({
        store: options.store,
        validator: options.validator,
        files,
        policy,
        fileUrl,
        requiresAccessToken: options.requiresAccessToken ?? false,
      }),
      reindex: reindexJobHandler(options.store),
    },
  });
  const onSubmit = () => runner.kick();
  return {
    routes: bulkRoutes({ jobs, files, uploadUrl, maxUploadBytes: options.maxUploadBytes }),
    operations: [
      exportOperation({ jobs, statusUrl, onSubmit }),
      importOperation({ jobs, policy, statusUrl, onSubmit }),
      reindexOperation({ jobs, statusUrl, onSubmit }),
    ],
    runner,
  };
}
