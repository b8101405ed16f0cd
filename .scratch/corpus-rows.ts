// Prints the pydicom corpus rows of docs/dicom-conformance.md (same format as pydicom-corpus.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppError } from '@yiyun/fhir';
import { parsePart10 } from '../packages/imaging/src/dicom/parse.ts';
import { transferSyntaxOf } from '../packages/imaging/src/dicom/transfer-syntax.ts';
import { PYDICOM_TEST_FILES, pydicomCorpus } from '../packages/imaging/src/dicom/pydicom-files.ts';
let ok = 0;
const row = (file: string, outcome: string, detail: string) => console.log(`| \`${file}\` | ${outcome} | ${detail.replaceAll('|', '\\|')} |`);
for (const file of pydicomCorpus()) {
  try {
    const p = parsePart10(new Uint8Array(readFileSync(join(PYDICOM_TEST_FILES, file))));
    ok++;
    const name = transferSyntaxOf(p.transferSyntaxUid)!.name;
    row(file, 'accepted', p.warnings ? `${name}; warnings: ${p.warnings.join('; ')}` : name);
  } catch (err) { const e = err as AppError; row(file, '**refused**', `${e.code}: ${e.message}`); }
}
console.error('accepted', ok);
