import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferedFile } from '../sink/buffered-file.ts';
import type { DemographicError } from './duplicates.ts';

/** persons.ndjson: one line per Patient record, naming the true person behind it. */
export interface PatientTruth {
  readonly patient: string;
  readonly person: string;
  readonly institution: string;
  readonly primary: boolean;
  readonly errors: readonly DemographicError[];
  /** ISO 3166-1 alpha-3 of a foreign resident; absent for Chinese residents. */
  readonly nationality?: string;
}

/** outbreak-cases.ndjson: one line per case of an injected outbreak. */
export interface OutbreakCaseTruth {
  readonly outbreak: string;
  readonly person: string;
  readonly patient: string;
  readonly encounter: string;
  readonly condition: string;
  readonly date: string;
}

/** repeated-tests.ndjson: a lab panel or imaging study repeated within a short window. */
export interface RepeatedTestTruth {
  readonly kind: 'lab' | 'imaging';
  readonly code: string;
  readonly person: string;
  readonly first: string;
  readonly repeat: string;
  readonly firstDate: string;
  readonly repeatDate: string;
  readonly days: number;
  readonly firstInstitution: string;
  readonly repeatInstitution: string;
}

export interface OutbreakTruth {
  readonly id: string;
  readonly icd10: string;
  readonly display: string;
  readonly zh: string;
  readonly districtCode: string;
  readonly district: string;
  readonly subdistrict: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly isoWeeks: readonly string[];
  readonly cases: number;
}

export interface GroundTruth {
  patient(record: PatientTruth): void;
  outbreakCase(record: OutbreakCaseTruth): void;
  repeatedTest(record: RepeatedTestTruth): void;
  readonly counts: { duplicates: number; outbreakCases: Map<string, number>; repeatedTests: number };
  close(outbreaks: readonly OutbreakTruth[]): void;
}

/** Writes the ground truth files into `dir` (created), streaming the large ones. */
export function groundTruthWriter(dir: string): GroundTruth {
  mkdirSync(dir, { recursive: true });
  const persons = new BufferedFile(join(dir, 'persons.ndjson'));
  const cases = new BufferedFile(join(dir, 'outbreak-cases.ndjson'));
  const repeats = new BufferedFile(join(dir, 'repeated-tests.ndjson'));
  const counts = { duplicates: 0, outbreakCases: new Map<string, number>(), repeatedTests: 0 };
  return {
    counts,
    patient(record) {
      if (!record.primary) counts.duplicates++;
      persons.writeLine(JSON.stringify(record));
    },
    outbreakCase(record) {
      counts.outbreakCases.set(record.outbreak, (counts.outbreakCases.get(record.outbreak) ?? 0) + 1);
      cases.writeLine(JSON.stringify(record));
    },
    repeatedTest(record) {
      counts.repeatedTests++;
      repeats.writeLine(JSON.stringify(record));
    },
    close(outbreaks) {
      persons.close();
      cases.close();
      repeats.close();
      writeFileSync(join(dir, 'outbreaks.json'), `${JSON.stringify(outbreaks, null, 2)}\n`);
    },
  };
}
