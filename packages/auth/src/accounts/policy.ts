import { AppError } from '@yiyun/fhir';

export const PASSWORD_MIN_LENGTH = 10;
/** Long enough for any passphrase, short enough that a request cannot make hashing costly. */
export const PASSWORD_MAX_LENGTH = 256;
const USERNAME_MAX_LENGTH = 64;
/** Letters of any script (so 张伟 works), digits, and `. _ @ -` after the first character. */
const USERNAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._@-]*$/u;

/** The display form of a username: Unicode NFKC (full-width ｄｏｃｔｏｒ → doctor), trimmed. */
export function canonicalUsername(username: string): string {
  return username.normalize('NFKC').trim();
}

/**
 * The unique key of a username, so that `Doctor` and `doctor` are one account. Undefined for a string
 * that cannot be a username (it then cannot match any account).
 */
export function usernameKey(username: string): string | undefined {
  const canonical = canonicalUsername(username);
  if (canonical.length === 0 || [...canonical].length > USERNAME_MAX_LENGTH) return undefined;
  if (!USERNAME_PATTERN.test(canonical)) return undefined;
  return canonical.toLowerCase();
}

/** Throws AppError('invalid') for a username that `usernameKey` refuses. */
export function assertValidUsername(username: string): string {
  const key = usernameKey(username);
  if (key === undefined)
    throw new AppError(
      'invalid',
      `A username is 1–${USERNAME_MAX_LENGTH} letters or digits, with . _ @ - allowed after the first`,
    );
  return key;
}

type CharacterClass = 'lower' | 'upper' | 'digit' | 'other';

function characterClass(ch: string): CharacterClass {
  if (/\p{Ll}/u.test(ch)) return 'lower';
  if (/\p{Lu}/u.test(ch)) return 'upper';
  if (/\p{Nd}/u.test(ch)) return 'digit';
  // Symbols, punctuation, spaces and letters without case (汉字) together form one class.
  return 'other';
}

/**
 * The password policy (NIST SP 800-63B §3.1.1.2 favours length over composition rules; we ask for
 * length and a minimum of variety): at least 10 characters, at most 256, not all of one character
 * class (lower case, upper case, digits, everything else), not the username. Throws AppError('invalid')
 * naming the rule broken; never echoes the password.
 */
export function assertPasswordPolicy(password: string, username?: string): void {
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH)
    throw new AppError('invalid', `A password needs at least ${PASSWORD_MIN_LENGTH} characters`);
  if (chars.length > PASSWORD_MAX_LENGTH)
    throw new AppError('invalid', `A password has at most ${PASSWORD_MAX_LENGTH} characters`);
  if (new Set(chars.map(characterClass)).size < 2)
    throw new AppError(
      'invalid',
      'A password must mix at least two kinds of character (lower case, upper case, digits, others)',
    );
  if (username !== undefined && password.normalize('NFKC').toLowerCase() === usernameKey(username))
    throw new AppError('invalid', 'A password must not be the username');
}
