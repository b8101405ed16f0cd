import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ImportIssue, Store } from '@yiyun/store';
import { importNdjson } from '@yiyun/store';
import type { ResourceValidator } from '../fhir/types.ts';
import type { BulkFiles } from './files.ts';
import { type ImportInput, openSource, type SourcePolicy } from './import-sources.ts';
import type { JobHandler } from './job-runner.ts';

/** Worker threads that prepare import batches (parse, validate, index) beside the main thread. */
const IMPORT_WORKERS = Math.max(1, Math.min(4, availableParallelism()));

export interface ImportRequest {
  readonly inputs: readonly ImportInput[];
  readonly requestUrl: string;
  readonly transactionTime: string;
}

function issueOutcome(issue: ImportIssue): string {
  return JSON.stringify({
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: 'invalid',
        diagnostics: issue.message,
        expression: [`${issue.source} line ${issue.line}`],
      },
    ],
  });
}

export interface ImportJobDeps {
  readonly store: Store;
  readonly validator: ResourceValidator;
  readonly files: BulkFiles;
  readonly policy: SourcePolicy;
  readonly fileUrl: (jobId: string, name: string) => string;
  /** The error file is served only with a bearer token when access control is on. */
  readonly requiresAccessToken?: boolean;
}

/** Imports every input (validated, indexed, batched transactions); bad lines go to an OperationOutcome file. */
export function importJobHandler(deps: ImportJobDeps): JobHandler {
  return async (job, report) => {
    const request = job.request as unknown as ImportRequest;
    const output: { type?: string; inputUrl: string; count: number }[] = [];
    const issues: ImportIssue[] = [];
    let totals = { read: 0, created: 0, updated: 0, failed: 0 };
    const customSearchParameters = await deps.store.customSearchParameters();
    for (const input of request.inputs) {
      const result = await importNdjson([openSource(input, deps.policy)], {
        database: deps.store.database,
        registry: deps.store.registry,
        validate: (r) => deps.validator.assertValid(r),
        workers: IMPORT_WORKERS,
        customSearchParameters,
        onProgress: (p) => report({ ...p, read: totals.read + p.read, input: input.url }),
      });
      totals = {
        read: totals.read + result.read,
        created: totals.created + result.created,
        updated: totals.updated + result.updated,
        failed: totals.failed + result.failed,
      };
      output.push({ type: input.type, inputUrl: input.url, count: result.created + result.updated });
      issues.push(...result.issues);
    }
    const error: { type: string; url: string; count: number }[] = [];
    if (issues.length > 0) {
      const dir = await deps.files.jobDir(job.id);
      await writeFile(join(dir, 'errors.ndjson'), issues.map(issueOutcome).join('\n') + '\n');
      error.push({
        type: 'OperationOutcome',
        url: deps.fileUrl(job.id, 'errors.ndjson'),
        count: totals.failed,
      });
    }
    return {
      transactionTime: request.transactionTime,
      request: request.requestUrl,
      requiresAccessToken: deps.requiresAccessToken ?? false,
      output,
      error,
      totals,
    };
  };
}
