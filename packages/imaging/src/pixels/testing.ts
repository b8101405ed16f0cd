import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePart10 } from '../dicom/parse.ts';
import type { ParsedInstance } from '../dicom/port.ts';

/** Debian's pydicom test corpus: the fixture files of the pixel tests. */
export const PYDICOM_CORPUS = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

/** A file of the corpus; a missing corpus fails the test with the command that installs it. */
export function corpusFile(name: string): Uint8Array {
  if (!existsSync(PYDICOM_CORPUS)) {
    throw new Error(
      `the pydicom test corpus is missing (${PYDICOM_CORPUS}): apt-get install -y python3-pydicom`,
    );
  }
  return new Uint8Array(readFileSync(join(PYDICOM_CORPUS, name)));
}

/** The instance as the store parses it (test support). */
export function parseForTest(part10: Uint8Array): ParsedInstance {
  return parsePart10(part10);
}

/**
 * rtdose*.dcm of the corpus name another SOP Instance UID in their File Meta than in their dataset (1.2.999…
 * against 1.9.999…), so the store refuses them; with the File Meta corrected they are the corpus' only
 * native multi-frame images.
 */
export function rtdoseFile(name: string): Uint8Array {
  const bytes = Buffer.from(corpusFile(name));
  const wrong = '1.2.999.999.99.9.9999.9999.20030818153516';
  const at = bytes.indexOf(wrong, 132, 'latin1');
  if (at < 0) throw new Error(`${name}: the File Meta SOP Instance UID is not the known wrong one`);
  bytes.write('1.9', at, 'latin1');
  return new Uint8Array(bytes);
}
