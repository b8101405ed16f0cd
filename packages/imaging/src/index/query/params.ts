/** Adds a bind parameter and returns its cast placeholder (`$3::text`), as `accessPredicate` expects. */
export type AddParam = (value: unknown, cast: string) => string;

/** Bind parameters of one statement. */
export class Params {
  readonly values: unknown[] = [];

  readonly add: AddParam = (value, cast) => {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  };
}
