import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Test support: Debian's python3-pydicom test data, the conformance corpus of issue #6. Missing data is
 * an error naming the package, never a reason to skip.
 */
export const PYDICOM_TEST_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

export function requirePydicomTestFiles(): string {
  if (!existsSync(PYDICOM_TEST_FILES)) {
    throw new Error(
      `pydicom test data not found at ${PYDICOM_TEST_FILES}: run apt-get install -y python3-pydicom`,
    );
  }
  return PYDICOM_TEST_FILES;
}

/** Every file of the corpus except Python sources, as paths relative to the corpus root, sorted. */
export function pydicomCorpus(): string[] {
  const root = requirePydicomTestFiles();
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!/\.pyc?$/.test(name)) out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}
