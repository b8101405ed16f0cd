import { AppError } from '@yiyun/fhir';
import type { ByteRange } from './port.ts';

/** `[start, end)` with 0 ≤ start ≤ end, whole numbers. A range past the object's end is clamped by the backend. */
export function assertValidRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new AppError('invalid', `Invalid byte range [${start}, ${end})`);
  }
}
