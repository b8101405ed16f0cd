import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@yiyun/fhir';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Where bulk jobs keep their files: `<dataDir>/bulk/<jobId>/<name>` (a shared volume across replicas). */
export class BulkFiles {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  async jobDir(jobId: string): Promise<string> {
    const dir = join(this.root, safe(jobId));
    await mkdir(dir, { recursive: true });
    return dir;
  }

  path(jobId: string, name: string): string {
    return join(this.root, safe(jobId), safe(name));
  }

  uploadPath(uploadId: string): string {
    return join(this.root, 'uploads', `${safe(uploadId)}.ndjson`);
  }

  async uploadDir(): Promise<string> {
    const dir = join(this.root, 'uploads');
    await mkdir(dir, { recursive: true });
    return dir;
  }
}

/** File names come from URLs: only plain names, never paths. */
function safe(name: string): string {
  if (!SAFE_NAME.test(name) || name.includes('..')) throw new AppError('not-found', 'No such file');
  return name;
}
