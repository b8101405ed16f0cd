import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { parsePart10 } from './parse.ts';
import { PYDICOM_TEST_FILES, pydicomCorpus } from './pydicom-files.ts';
import { EXPECTED_REFUSALS, EXPECTED_WARNINGS, PYDICOM_ACCEPTED } from './pydicom-reviewed.ts';
import { transferSyntaxOf } from './transfer-syntax.ts';

/**
 * Issue #6 acceptance: every file of Debian's python3-pydicom test data goes through parsePart10; each
 * one is accepted or refused with a clear reason, and docs/dicom-conformance.md lists the refusals.
 */
const DOC = join(import.meta.dirname, '../../../../docs/dicom-conformance.md');
const START = '<!-- pydicom-corpus:start -->';
const END = '<!-- pydicom-corpus:end -->';

interface Outcome {
  readonly file: string;
  readonly accepted: boolean;
  readonly detail: string;
  readonly warnings: readonly string[];
}

function classify(file: string): Outcome {
  const bytes = new Uint8Array(readFileSync(join(PYDICOM_TEST_FILES, file)));
  try {
    const parsed = parsePart10(bytes);
    const ts = transferSyntaxOf(parsed.transferSyntaxUid)!;
    const warnings = parsed.warnings ?? [];
    const detail = warnings.length > 0 ? `${ts.name}; warnings: ${warnings.join('; ')}` : ts.name;
    return { file, accepted: true, detail, warnings };
  } catch (err) {
    if (!(err instanceof AppError)) throw new Error(`${file}: not an AppError: ${String(err)}`);
    return { file, accepted: false, detail: `${err.code}: ${err.message}`, warnings: [] };
  }
}

/** The doc's table rows: `| file | accepted/refused | transfer syntax or reason |`. */
function docRows(): string[] {
  const doc = readFileSync(DOC, 'utf8');
  const section = doc.slice(doc.indexOf(START) + START.length, doc.indexOf(END));
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.trim());
}

function docRow(o: Outcome): string {
  return `| \`${o.file}\` | ${o.accepted ? 'accepted' : '**refused**'} | ${o.detail.replaceAll('|', '\\|')} |`;
}

describe('pydicom test corpus (python3-pydicom)', () => {
  const outcomes = pydicomCorpus().map(classify);

  it('has the 165 files of the Debian package', () => {
    expect(outcomes).toHaveLength(165);
  });

  it('accepts every file except the reviewed refusals, each refused with its clear reason', () => {
    const refused = outcomes.filter((o) => !o.accepted);
    expect(refused.map((o) => o.file)).toEqual(Object.keys(EXPECTED_REFUSALS).sort());
    for (const o of refused) expect(o.detail, o.file).toMatch(EXPECTED_REFUSALS[o.file]!);
    // Issue #6 asks for ≥ 150; 140 is what the corpus allows (docs/dicom-conformance.md says why).
    expect(outcomes.filter((o) => o.accepted).length).toBe(PYDICOM_ACCEPTED);
  });

  it('accepts the lenient cases with a warning each, and every other file without one', () => {
    const warned = outcomes.filter((o) => o.warnings.length > 0);
    expect(warned.map((o) => o.file).sort()).toEqual(Object.keys(EXPECTED_WARNINGS).sort());
    for (const o of warned) {
      expect(o.warnings, o.file).toHaveLength(1);
      expect(o.warnings[0], o.file).toMatch(EXPECTED_WARNINGS[o.file]!);
    }
  });

  it('is listed, with the reason for each refused file, in docs/dicom-conformance.md', () => {
    expect(docRows()).toEqual(outcomes.map(docRow));
  });
});
