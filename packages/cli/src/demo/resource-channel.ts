import type { ResourceSink } from '@yiyun/synth';

/**
 * An in-memory pipe from the generator (a `ResourceSink`) to the bulk importer (NDJSON lines), so the
 * demo region is loaded without writing files. Bounded: once `highWater` lines wait, `write` returns a
 * promise that settles when the importer has drained half of them, so the generator (fast) never
 * runs far ahead of the database (slow) and memory stays flat.
 */
export interface ResourceChannel {
  readonly sink: ResourceSink;
  readonly lines: AsyncIterable<string>;
  /** Resources written so far. */
  readonly written: () => number;
  /** Stops both sides: a waiting `write` rejects, and so does the reader's next step. */
  fail(reason: unknown): void;
}

export function createResourceChannel(highWater = 4_000): ResourceChannel {
  let queue: string[] = [];
  let head = 0;
  let written = 0;
  let closed = false;
  let failure: { reason: unknown } | undefined;
  let wakeReader: (() => void) | undefined;
  let producer: { resolve: () => void; reject: (reason: unknown) => void } | undefined;

  const pending = () => queue.length - head;
  const notifyReader = () => {
    const wake = wakeReader;
    wakeReader = undefined;
    wake?.();
  };
  const releaseProducer = () => {
    if (producer && pending() <= highWater / 2) {
      const p = producer;
      producer = undefined;
      p.resolve();
    }
  };

  const sink: ResourceSink = {
    write(resource) {
      if (failure) return Promise.reject(failure.reason);
      if (closed) return Promise.reject(new Error('write after close'));
      queue.push(JSON.stringify(resource));
      written++;
      notifyReader();
      if (pending() < highWater) return;
      return new Promise<void>((resolve, reject) => {
        producer = { resolve, reject };
      });
    },
    async close() {
      closed = true;
      notifyReader();
    },
  };

  async function* read(): AsyncGenerator<string> {
    for (;;) {
      if (failure) throw failure.reason;
      if (pending() > 0) {
        const line = queue[head++] as string;
        if (head >= 1_024 && head * 2 >= queue.length) {
          queue = queue.slice(head);
          head = 0;
        }
        releaseProducer();
        yield line;
        continue;
      }
      if (closed) return;
      await new Promise<void>((resolve) => {
        wakeReader = resolve;
      });
    }
  }

  return {
    sink,
    lines: { [Symbol.asyncIterator]: read },
    written: () => written,
    fail(reason) {
      if (failure) return;
      failure = { reason };
      producer?.reject(reason);
      producer = undefined;
      notifyReader();
    },
  };
}
