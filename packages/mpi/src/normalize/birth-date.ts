/** What a record's birth date is worth for matching. */
export interface BirthDateFacts {
  /** YYYY-MM-DD when the date is complete and possible; null otherwise. */
  readonly value: string | null;
  /** Year alone (partial dates `1980`, `1980-05` keep it). */
  readonly year: number | null;
  readonly flag: 'birth-date-partial' | 'birth-date-impossible' | 'birth-date-future' | null;
}

/** Reads a FHIR birthDate, flagging partial, impossible (1980-02-30, year < 1880) and future dates. */
export function readBirthDate(raw: string | undefined, today: string): BirthDateFacts {
  if (!raw) return { value: null, year: null, flag: null };
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(raw);
  if (!m) return { value: null, year: null, flag: 'birth-date-impossible' };
  const year = Number(m[1]);
  if (year < 1880) return { value: null, year: null, flag: 'birth-date-impossible' };
  if (!m[2] || !m[3]) return { value: null, year, flag: 'birth-date-partial' };
  const month = Number(m[2]);
  const day = Number(m[3]);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return { value: null, year, flag: 'birth-date-impossible' };
  const value = `${m[1]}-${m[2]}-${m[3]}`;
  if (value > today) return { value: null, year: null, flag: 'birth-date-future' };
  return { value, year, flag: null };
}
