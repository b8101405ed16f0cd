import type { ManagedImageStore } from '@yiyun/imaging';
import type { Logger } from 'pino';

export interface MaintenanceOptions {
  readonly images: Pick<ManagedImageStore, 'lifecycle' | 'scrub'>;
  /** Hours between runs; 0 = never. */
  readonly everyHours: number;
  readonly hotDays: number;
  readonly idleDays: number;
  readonly logger: Logger;
}

/**
 * Storage maintenance on a timer: the lifecycle policy (hot → cold) and then the scrubber (find and
 * repair missing or corrupt copies). Both are safe from several replicas at once (row leases), so
 * every replica may run it; the first run waits one interval after start-up.
 */
export function storageMaintenance(options: MaintenanceOptions) {
  const { images, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = async () => {
    const moved = await images.lifecycle({ olderThanDays: options.hotDays, idleDays: options.idleDays });
    logger.info({ ...moved }, 'image lifecycle done');
    const scrubbed = await images.scrub();
    logger.info({ ...scrubbed }, 'image scrub done');
  };
  const schedule = () => {
    timer = setTimeout(() => {
      running = run()
        .catch((err: Error) => logger.error({ err: { message: err.message } }, 'image maintenance failed'))
        .finally(() => {
          if (timer) schedule();
        });
    }, options.everyHours * 3_600_000);
    timer.unref();
  };
  return {
    start() {
      if (options.everyHours > 0) schedule();
    },
    async stop() {
      const t = timer;
      timer = undefined;
      if (t) clearTimeout(t);
      await running;
    },
  };
}
