import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * An append-only text file written in large synchronous chunks: generation is CPU-bound and single
 * threaded, so sync writes of ~1 MB keep throughput high and memory bounded by the chunk size.
 */
export class BufferedFile {
  readonly #fd: number;
  #parts: string[] = [];
  #size = 0;
  readonly #limit: number;

  constructor(path: string, limit = 1 << 20) {
    this.#fd = openSync(path, 'w');
    this.#limit = limit;
  }

  writeLine(line: string): void {
    this.#parts.push(line, '\n');
    this.#size += line.length + 1;
    if (this.#size >= this.#limit) this.flush();
  }

  flush(): void {
    if (this.#parts.length === 0) return;
    writeSync(this.#fd, this.#parts.join(''));
    this.#parts = [];
    this.#size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.#fd);
  }
}
