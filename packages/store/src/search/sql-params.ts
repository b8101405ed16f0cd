/** Collects bind parameters while SQL text is built; every value reaches PostgreSQL as a parameter. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder with an explicit cast (`$3::text`). */
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

/** Escapes LIKE wildcards so that user input matches literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
