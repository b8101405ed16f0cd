import type { Job, JobStore } from '@yiyun/store';
import type { Logger } from 'pino';

/** Runs one kind of job; calls `report` often (it returns false once the job has been cancelled). */
export type JobHandler = (
  job: Job,
  report: (progress: Record<string, unknown>) => Promise<boolean>,
) => Promise<Record<string, unknown>>;

export class JobCancelled extends Error {
  override readonly name = 'JobCancelled';
}

/** Thrown from `report` once the runner is stopping: the job goes back to the queue. */
class JobInterrupted extends Error {
  override readonly name = 'JobInterrupted';
}

export interface JobRunnerOptions {
  readonly jobs: JobStore;
  readonly handlers: Readonly<Record<string, JobHandler>>;
  readonly logger: Logger;
  /** How often idle runners look for queued or abandoned jobs. */
  readonly pollMs?: number;
}

/**
 * Runs queued jobs in this process, one at a time. Every replica runs one; the job table's
 * SKIP LOCKED claim decides who runs what, and a job whose runner died is taken over.
 */
export class JobRunner {
  readonly #options: JobRunnerOptions;
  #timer: NodeJS.Timeout | undefined;
  #busy: Promise<void> | undefined;
  #stopped = false;

  constructor(options: JobRunnerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => this.kick(), this.#options.pollMs ?? 2_000);
    this.#timer.unref();
    this.kick();
  }

  /** Looks for work now (after a submit) instead of at the next poll. */
  kick(): void {
    if (this.#busy || this.#stopped) return;
    this.#busy = this.#drain().finally(() => {
      this.#busy = undefined;
    });
  }

  /** Stops at the running job's next progress report (the job is queued again) and waits for that. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#busy;
  }

  async #drain(): Promise<void> {
    const { jobs, handlers, logger } = this.#options;
    while (!this.#stopped) {
      let job: Job | undefined;
      try {
        job = await jobs.claim(Object.keys(handlers));
      } catch (err) {
        logger.error({ err }, 'job claim failed');
        return;
      }
      if (!job) return;
      await this.#run(job, handlers[job.kind]!);
    }
  }

  async #run(job: Job, handler: JobHandler): Promise<void> {
    const { jobs, logger } = this.#options;
    logger.info({ jobId: job.id, kind: job.kind }, 'job started');
    const report = async (progress: Record<string, unknown>) => {
      if (this.#stopped) throw new JobInterrupted();
      const alive = await jobs.heartbeat(job.id, progress);
      if (!alive) throw new JobCancelled();
      return alive;
    };
    try {
      const result = await handler(job, report);
      await jobs.finish(job.id, { result });
      logger.info({ jobId: job.id, kind: job.kind }, 'job completed');
    } catch (err) {
      if (err instanceof JobCancelled) {
        logger.info({ jobId: job.id }, 'job cancelled');
        return;
      }
      if (err instanceof JobInterrupted) {
        await jobs.release(job.id);
        logger.info({ jobId: job.id, kind: job.kind }, 'job interrupted by shutdown, queued again');
        return;
      }
      logger.error({ err, jobId: job.id }, 'job failed');
      const message = err instanceof Error && err.name === 'AppError' ? err.message : 'Internal error';
      await jobs.finish(job.id, { error: message });
    }
  }
}
