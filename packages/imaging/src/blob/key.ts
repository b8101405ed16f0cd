import { AppError } from '@yiyun/fhir';

/** S3's own limit on key length (UTF-8 bytes); we hold every backend to it so keys stay portable. */
const MAX_KEY_BYTES = 1024;

/**
 * Checks a blob key: `/`-separated segments, none empty, `.` or `..`, no NUL, not absolute. The same
 * rules apply to every backend so that a key valid on disk is valid on S3 and back (replication).
 */
export function assertValidKey(key: string): void {
  const problem = keyProblem(key);
  if (problem !== undefined) throw new AppError('invalid', `Invalid blob key: ${problem}`);
}

function keyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'empty';
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return `longer than ${MAX_KEY_BYTES} bytes`;
  if (key.includes('\0')) return 'contains NUL';
  if (key.startsWith('/')) return 'absolute';
  for (const segment of key.split('/')) {
    if (segment === '') return 'empty segment';
    if (segment === '.' || segment === '..') return `segment "${segment}"`;
  }
  return undefined;
}

/**
 * A prefix for `list`: like a key, but it may be empty and may end with `/` or mid-segment.
 * Returns it unchanged when valid.
 */
export function assertValidPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const problem = keyProblem(trimmed);
  if (problem !== undefined) throw new AppError('invalid', `Invalid blob key prefix: ${problem}`);
  return prefix;
}

// Characters kept as they are in file names; everything else is %XX-encoded (UTF-8), so no key can
// produce `~` (reserved for our temp and marker files), a path separator or a control character.
const SAFE_NAME = /^[A-Za-z0-9._-]*$/;

function isSafeByte(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    byte === 0x2e || // .
    byte === 0x5f || // _
    byte === 0x2d // -
  );
}

/** One key segment as a file name (reversible: `decodeSegment`). */
export function encodeSegment(segment: string): string {
  if (SAFE_NAME.test(segment)) return segment;
  let out = '';
  for (const byte of Buffer.from(segment, 'utf8')) {
    out += isSafeByte(byte)
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function decodeSegment(name: string): string {
  return name.includes('%') ? decodeURIComponent(name) : name;
}

/** The relative file path (POSIX separators) a valid key is stored at. */
export function keyToRelativePath(key: string): string {
  assertValidKey(key);
  return key.split('/').map(encodeSegment).join('/');
}

/** Names in a store's directory that are ours, not keys (temp files, the root marker, probes). */
export function isReservedName(name: string): boolean {
  return name.startsWith('~');
}
