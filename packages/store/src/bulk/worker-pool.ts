import { Worker } from 'node:worker_threads';
import type { SearchParameter } from '@medplum/fhirtypes';
import type { SensitivityRule } from '@yiyun/fhir';
import type { PreparedChunk, PrepareRequest } from './prepare-worker.ts';

/** Worker threads that prepare import chunks (see prepare-worker.ts), used round-robin. */
export class PrepareWorkerPool {
  readonly #workers: Worker[];
  readonly #pending = new Map<
    number,
    { resolve: (c: PreparedChunk) => void; reject: (e: unknown) => void }
  >();
  #next = 0;

  private constructor(workers: Worker[]) {
    this.#workers = workers;
    for (const worker of workers) {
      worker.on('message', (chunk: PreparedChunk) => {
        const waiter = this.#pending.get(chunk.seq);
        this.#pending.delete(chunk.seq);
        waiter?.resolve(chunk);
      });
      worker.on('error', (err) => {
        for (const waiter of this.#pending.values()) waiter.reject(err);
        this.#pending.clear();
      });
    }
  }

  static async start(
    size: number,
    workerData: { customParams: readonly SearchParameter[]; sensitivityRules?: readonly SensitivityRule[] },
  ): Promise<PrepareWorkerPool> {
    const workers = Array.from(
      { length: size },
      () => new Worker(new URL('./prepare-worker.ts', import.meta.url), { workerData }),
    );
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', () => resolve());
            w.once('error', reject);
          }),
      ),
    );
    return new PrepareWorkerPool(workers);
  }

  prepare(request: PrepareRequest): Promise<PreparedChunk> {
    const worker = this.#workers[this.#next++ % this.#workers.length]!;
    return new Promise((resolve, reject) => {
      this.#pending.set(request.seq, { resolve, reject });
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
