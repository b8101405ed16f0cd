/**
 * The `Prefer` header (RFC 7240) as FHIR uses it:
 * return=minimal|representation|OperationOutcome (http://hl7.org/fhir/R4/http.html#ops) and
 * handling=strict|lenient (http://hl7.org/fhir/R4/search.html#errors).
 */
export type ReturnPreference = 'minimal' | 'representation' | 'OperationOutcome';

export interface Preferences {
  readonly return?: ReturnPreference;
  readonly handling?: 'strict' | 'lenient';
  readonly respondAsync?: boolean;
}

const RETURN_VALUES: ReadonlySet<string> = new Set(['minimal', 'representation', 'OperationOutcome']);

/** Parses one or more comma-separated preferences; unknown ones are ignored, as RFC 7240 requires. */
export function parsePrefer(header: string | undefined): Preferences {
  if (!header) return {};
  let ret: ReturnPreference | undefined;
  let handling: 'strict' | 'lenient' | undefined;
  let respondAsync = false;
  for (const raw of header.split(',')) {
    const token = raw.split(';')[0]?.trim() ?? '';
    const eq = token.indexOf('=');
    const name = (eq < 0 ? token : token.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : unquote(token.slice(eq + 1).trim());
    if (name === 'return' && RETURN_VALUES.has(value)) ret = value as ReturnPreference;
    else if (name === 'handling' && (value === 'strict' || value === 'lenient')) handling = value;
    else if (name === 'respond-async') respondAsync = true;
  }
  return {
    ...(ret ? { return: ret } : {}),
    ...(handling ? { handling } : {}),
    ...(respondAsync ? { respondAsync } : {}),
  };
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
