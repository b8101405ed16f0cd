import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { BufferedFile } from './buffered-file.ts';

/**
 * Where generated resources go. `write` may return a promise (an HTTP `$import` sink applies
 * back-pressure that way); the generator awaits it before continuing. Resources arrive in an order
 * where everything a resource references has been written before it.
 */
export interface ResourceSink {
  write(resource: Resource): Promise<void> | void;
  close(): Promise<void>;
}

/** Bulk-data layout (FHIR Bulk Data Access): one `<Type>.ndjson` per resource type in `dir`. */
export function ndjsonDirectorySink(dir: string): ResourceSink {
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, BufferedFile>();
  return {
    write(resource: Resource): void {
      let file = files.get(resource.resourceType);
      if (!file) {
        file = new BufferedFile(join(dir, `${resource.resourceType}.ndjson`));
        files.set(resource.resourceType, file);
      }
      file.writeLine(JSON.stringify(resource));
    },
    async close(): Promise<void> {
      for (const file of files.values()) file.close();
      files.clear();
    },
  };
}
