import { AppError } from '@yiyun/fhir';

/**
 * NUL is not allowed in FHIR strings (http://hl7.org/fhir/R4/datatypes.html#string) nor in PostgreSQL
 * text, so a decoded `%00` is refused here rather than reaching the database.
 */
export function assertCleanQuery(params: URLSearchParams): void {
  for (const [k, v] of params) {
    if (k.includes('\u0000') || v.includes('\u0000')) {
      throw new AppError('invalid', 'Search parameters may not contain NUL characters');
    }
  }
}

/** The same for a JSON body: an escaped `\u0000` (not itself escaped) anywhere in the text. */
const ESCAPED_NUL = /(?:^|[^\\])(?:\\\\)*\\u0000/;

export function assertNoNulInJson(text: string): void {
  if (text.includes('\\u0000') && ESCAPED_NUL.test(text)) {
    throw new AppError('invalid', 'The body contains a NUL character, which FHIR strings do not allow');
  }
}
