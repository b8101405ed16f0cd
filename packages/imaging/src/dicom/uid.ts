/**
 * UID syntax (PS3.5 §9.1): at most 64 characters, components of digits separated by single dots, and no
 * component with a leading zero unless it is the single digit 0.
 */
export function isValidUid(uid: string): boolean {
  if (uid.length === 0 || uid.length > 64) return false;
  let componentStart = 0;
  for (let i = 0; i <= uid.length; i++) {
    const c = i < uid.length ? uid.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      const length = i - componentStart;
      if (length === 0) return false;
      if (length > 1 && uid.charCodeAt(componentStart) === 0x30) return false;
      componentStart = i + 1;
    } else if (c < 0x30 || c > 0x39) {
      return false;
    }
  }
  return true;
}

/** Why a UID is invalid, for error messages (the value itself is not personal data). */
export function uidProblem(uid: string): string | undefined {
  if (uid.length === 0) return 'is empty';
  if (uid.length > 64) return `is ${uid.length} characters long (at most 64)`;
  if (/[^0-9.]/.test(uid)) return 'contains characters other than digits and dots';
  if (!isValidUid(uid)) return 'has an empty component or a component with a leading zero';
  return undefined;
}
