import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Authorization, Principal } from '@yiyun/auth';
import { AppError } from '@yiyun/fhir';
import type { Imaging } from '@yiyun/server';
import { imagingCaller } from '@yiyun/server';
import type { Store } from '@yiyun/store';
import { type DemoImage, generateDemoImages, studiesInStore } from './demo-image-set.ts';

export interface DemoImagesProgressReporter {
  update(stored: number): void;
  stop(): void;
}

export interface EnsureDemoImagesOptions {
  readonly imaging: { readonly service: Pick<Imaging['service'], 'store' | 'flush'> };
  readonly store: Pick<Store, 'repository' | 'registry'>;
  /** The platform's access policy (`security.auth.authorize`): the sender's rights are checked as for any client. */
  readonly authorize: (principal: Principal) => Authorization;
  /** 0 = the demo is off. */
  readonly residents: number;
  /** The server's data directory: the demo region's ground truth is in `<dataDir>/demo/`. */
  readonly dataDir: string;
  readonly progress?: (studies: number) => DemoImagesProgressReporter;
  /** Aborting stops at the next file (what was stored stays; the next start finishes). */
  readonly signal?: AbortSignal;
}

export interface DemoImagesResult {
  /** ImagingStudy records of the demo region. */
  readonly studies: number;
  /** Instances stored now, and already stored by an earlier, interrupted start. */
  readonly stored: number;
  readonly duplicates: number;
  /** Studies the store does not hold as generated (e.g. a store with other data). */
  readonly missing: number;
  readonly failed: number;
  /** Failed instances by error code. */
  readonly failures: Readonly<Record<string, number>>;
  readonly seconds: number;
}

export type DemoImagesOutcome =
  | { readonly kind: 'off' }
  /** No demo region was loaded from this data directory: nothing to send images for. */
  | { readonly kind: 'no-region' }
  /** An earlier start stored them. */
  | { readonly kind: 'present' }
  | { readonly kind: 'loaded'; readonly result: DemoImagesResult };

/** Instances in flight: overlaps parsing and encryption with the database's writes. */
const CONCURRENCY = 4;

/** Residents of the demo region this data directory loaded (the generator's summary), if any. */
async function demoRegionResidents(demoDir: string): Promise<number | undefined> {
  const text = await readFile(join(demoDir, 'ground-truth', 'summary.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const residents = (JSON.parse(text) as { residents?: unknown }).residents;
  return typeof residents === 'number' && Number.isInteger(residents) && residents > 0
    ? residents
    : undefined;
}

/** The demo sender: an integration system of the institution, like a hospital's PACS gateway. */
function senderPrincipal(organization: string): Principal {
  return {
    kind: 'system',
    subject: 'yiyun-demo-images',
    clientId: 'yiyun-demo-images',
    roles: ['integration-system'],
    organization,
    scopes: ['system/*.cruds'],
  };
}

async function storeAll(options: EnsureDemoImagesOptions, images: readonly DemoImage[]) {
  const callers = new Map<string, ReturnType<typeof imagingCaller>>();
  const callerFor = (organization: string) => {
    let caller = callers.get(organization);
    if (!caller) {
      caller = imagingCaller(options.authorize(senderPrincipal(organization)), 'demo-load');
      callers.set(organization, caller);
    }
    return caller;
  };
  const counts = { stored: 0, duplicates: 0, failed: 0 };
  const failures: Record<string, number> = {};
  const bar = options.progress?.(images.length);
  let next = 0;
  const worker = async () => {
    for (let image = images[next++]; image && !options.signal?.aborted; image = images[next++]) {
      const bytes = new Uint8Array(await readFile(image.file));
      try {
        const result = await options.imaging.service.store(bytes, callerFor(image.custodian));
        counts[result.outcome === 'stored' ? 'stored' : 'duplicates']++;
      } catch (err) {
        // Codes only: an error's message may quote the instance.
        const code = err instanceof AppError ? err.code : 'internal';
        failures[code] = (failures[code] ?? 0) + 1;
        counts.failed++;
      }
      bar?.update(counts.stored + counts.duplicates + counts.failed);
    }
  };
  // Every worker finishes its instance before this returns: nothing is left writing to the store.
  const settled = await Promise.allSettled(Array.from({ length: CONCURRENCY }, worker));
  bar?.stop();
  options.signal?.throwIfAborted();
  const rejected = settled.find((s) => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  return { ...counts, failures };
}

/**
 * Puts the demo region's images into the PACS: when the demo is on, this data directory loaded a
 * demo region and no earlier start finished doing so (`<dataDir>/demo/images.json`). Regenerates the
 * region's DICOM files (deterministic, into a scratch directory) and stores each through the
 * imaging service as the institution holding its ImagingStudy, so the instance is linked to the
 * same Patient and the same ImagingStudy as the FHIR data. Storing is idempotent (same bytes →
 * `duplicate`), so a start that was interrupted is finished by the next.
 */
export async function ensureDemoImages(options: EnsureDemoImagesOptions): Promise<DemoImagesOutcome> {
  if (options.residents === 0) return { kind: 'off' };
  const demoDir = join(options.dataDir, 'demo');
  const marker = join(demoDir, 'images.json');
  if ((await readFile(marker, 'utf8').catch(() => undefined)) !== undefined) return { kind: 'present' };
  const residents = await demoRegionResidents(demoDir);
  if (residents === undefined) return { kind: 'no-region' };
  const started = performance.now();
  const work = join(demoDir, 'images-tmp');
  await rm(work, { recursive: true, force: true });
  try {
    const images = await generateDemoImages(residents, work);
    const held = await studiesInStore(options.store, images);
    const sendable = images.filter((i) => held.has(i.studyUid));
    const counts = await storeAll(options, sendable);
    await options.imaging.service.flush();
    const result: DemoImagesResult = {
      studies: images.length,
      ...counts,
      missing: images.length - held.size,
      seconds: (performance.now() - started) / 1000,
    };
    // A failure is retried by the next start (the stored ones come back as duplicates).
    if (counts.failed === 0)
      await writeFile(marker, `${JSON.stringify({ ...result, finishedAt: new Date().toISOString() })}\n`);
    return { kind: 'loaded', result };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
