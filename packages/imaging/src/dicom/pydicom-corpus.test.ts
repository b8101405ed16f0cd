import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { parsePart10 } from './parse.ts';
import { PYDICOM_TEST_FILES, pydicomCorpus } from './pydicom-files.ts';
import { transferSyntaxOf } from './transfer-syntax.ts';

/**
 * Issue #6 acceptance: every file of Debian's python3-pydicom test data goes through parsePart10; each
 * one is accepted or refused with a clear reason, and docs/dicom-conformance.md lists the refusals.
 */
const DOC = join(import.meta.dirname, '../../../../docs/dicom-conformance.md');
const START = '<!-- pydicom-corpus:start -->';
const END = '<!-- pydicom-corpus:end -->';

const NO_PREFIX = /^invalid: not a DICOM Part 10 file: no DICM prefix at byte 128$/;
const DICOMDIR = /^unsupported: SOP class 1\.2\.840\.10008\.1\.3\.10 is not supported: .*DICOMDIR/;
const META_MISMATCH =
  /^invalid: Media Storage SOP Instance UID \(0002,0003\) [\d.]+ does not match SOP Instance UID/;

/** Why each refused file is refused: the reason must match (this is the reviewed list). */
const EXPECTED_REFUSALS: Readonly<Record<string, RegExp>> = {
  'ExplVR_BigEndNoMeta.dcm': NO_PREFIX,
  'ExplVR_LitEndNoMeta.dcm': NO_PREFIX,
  'MR_truncated.dcm': /^invalid: truncated: element \(7FE0,0010\)/,
  'README.txt': NO_PREFIX,
  'UN_sequence.dcm': /^invalid: missing SOP Class UID/,
  'badVR.dcm': META_MISMATCH,
  'dicomdirtests/DICOMDIR': DICOMDIR,
  'dicomdirtests/DICOMDIR-bigEnd': DICOMDIR,
  'dicomdirtests/DICOMDIR-empty.dcm': DICOMDIR,
  'dicomdirtests/DICOMDIR-implicit': DICOMDIR,
  'dicomdirtests/DICOMDIR-nooffset': DICOMDIR,
  'dicomdirtests/DICOMDIR-nopatient': DICOMDIR,
  'dicomdirtests/DICOMDIR-reordered': DICOMDIR,
  'dicomdirtests/README.txt': NO_PREFIX,
  'dicomdirtests/TINY_ALPHA/DICOMDIR': DICOMDIR,
  'dicomdirtests/TINY_ALPHA/README': NO_PREFIX,
  'empty_charset_LEI.dcm': /^invalid: File Meta Information has no Media Storage SOP Class UID/,
  'meta_missing_tsyntax.dcm': /^invalid: File Meta Information has no Transfer Syntax UID/,
  'nested_priv_SQ.dcm': /^invalid: File Meta Information has no Media Storage SOP Class UID/,
  'no_meta.dcm': NO_PREFIX,
  'no_meta_group_length.dcm': /^invalid: File Meta Information Group Length \(0002,0000\) missing/,
  'priv_SQ.dcm': /^invalid: missing SOP Class UID/,
  'rtdose.dcm': META_MISMATCH,
  'rtdose_1frame.dcm': META_MISMATCH,
  'rtdose_expb.dcm': META_MISMATCH,
  'rtdose_expb_1frame.dcm': META_MISMATCH,
  'rtplan.dcm': META_MISMATCH,
  'rtplan.dump': NO_PREFIX,
  'rtplan_truncated.dcm': /^invalid: truncated: element \(300A,00B0\)/,
  'rtstruct.dcm': NO_PREFIX,
  'rtstruct.dump': NO_PREFIX,
  'test1.json': NO_PREFIX,
  'test_PN.json': NO_PREFIX,
  'zipMR.gz': NO_PREFIX,
};

interface Outcome {
  readonly file: string;
  readonly accepted: boolean;
  readonly detail: string;
}

function classify(file: string): Outcome {
  const bytes = new Uint8Array(readFileSync(join(PYDICOM_TEST_FILES, file)));
  try {
    const parsed = parsePart10(bytes);
    const ts = transferSyntaxOf(parsed.transferSyntaxUid)!;
    return { file, accepted: true, detail: ts.name };
  } catch (err) {
    if (!(err instanceof AppError)) throw new Error(`${file}: not an AppError: ${String(err)}`);
    return { file, accepted: false, detail: `${err.code}: ${err.message}` };
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
    console.log(outcomes.map(docRow).join('\n'));
    const refused = outcomes.filter((o) => !o.accepted);
    expect(refused.map((o) => o.file)).toEqual(Object.keys(EXPECTED_REFUSALS).sort());
    for (const o of refused) expect(o.detail, o.file).toMatch(EXPECTED_REFUSALS[o.file]!);
    // Issue #6 asks for ≥ 150; 137 is the most the corpus allows (see dicom-conformance.md), 131 with
    // the File Meta UID check the brief requires.
    expect(outcomes.filter((o) => o.accepted).length).toBe(131);
  });

  it('is listed, with the reason for each refused file, in docs/dicom-conformance.md', () => {
    expect(docRows()).toEqual(outcomes.map(docRow));
  });
});
