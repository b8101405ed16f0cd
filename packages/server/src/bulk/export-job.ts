import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AccessScope,
  asQueryable,
  exportResources,
  inPatientCompartment,
  type Store,
  typesWithData,
} from '@yiyun/store';
import type { BulkFiles } from './files.ts';
import type { JobHandler } from './job-runner.ts';

/** What the `$export` kick-off stored as the job's request. */
export interface ExportRequest {
  readonly level: 'system' | 'patient' | 'group';
  readonly types?: readonly string[];
  readonly since?: string;
  /** Patient ids of a Group export (resolved at kick-off). */
  readonly patientIds?: readonly string[];
  /** The kick-off URL, echoed in the manifest. */
  readonly requestUrl: string;
  readonly transactionTime: string;
  /** The requester's access scope (JSON: its dates are strings until revived). */
  readonly access?: AccessScope;
}

/** The stored scope with its care-relationship cut-off as a Date again. */
function revive(access: AccessScope | undefined): AccessScope | undefined {
  if (!access || access.kind === 'all' || !access.careRelationship) return access;
  return {
    ...access,
    careRelationship: { ...access.careRelationship, since: new Date(access.careRelationship.since) },
  };
}

export interface ExportOutput {
  readonly type: string;
  readonly url: string;
  readonly count: number;
}

async function writeType(
  store: Store,
  type: string,
  request: ExportRequest,
  file: string,
  onPage: (n: number) => Promise<unknown>,
): Promise<number> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  let count = 0;
  const scope = {
    level: request.level === 'system' ? ('system' as const) : ('patient' as const),
    patientIds: request.patientIds,
    since: request.since,
    access: revive(request.access),
  };
  try {
    for await (const page of exportResources(asQueryable(store.database.sql), type, scope)) {
      const chunk = page.map((r) => JSON.stringify(r)).join('\n') + '\n';
      if (!out.write(chunk)) await once(out, 'drain');
      count += page.length;
      await onPage(count);
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return count;
}

/** Writes one NDJSON file per resource type (Bulk Data IG layout) and returns the manifest. */
export function exportJobHandler(
  store: Store,
  files: BulkFiles,
  fileUrl: (jobId: string, name: string) => string,
  /** Bulk files are served only with the operator's bearer token when access control is on. */
  requiresAccessToken = false,
): JobHandler {
  return async (job, report) => {
    const request = job.request as unknown as ExportRequest;
    const available = await typesWithData(asQueryable(store.database.sql));
    let types = request.types?.length ? available.filter((t) => request.types!.includes(t)) : available;
    if (request.level !== 'system') types = types.filter(inPatientCompartment);
    const dir = await files.jobDir(job.id);
    const output: ExportOutput[] = [];
    let exported = 0;
    for (const type of types) {
      const name = `${type}.ndjson`;
      const count = await writeType(store, type, request, join(dir, name), (n) =>
        report({ exported: exported + n, currentType: type }),
      );
      exported += count;
      if (count > 0) output.push({ type, url: fileUrl(job.id, name), count });
      else await rm(join(dir, name), { force: true });
    }
    return {
      transactionTime: request.transactionTime,
      request: request.requestUrl,
      requiresAccessToken,
      output,
      error: [],
    };
  };
}
