import type { Prefix } from '@yiyun/fhir';

/** A window [low, high] of instants; null bounds are open. */
export interface Window {
  readonly low: string | null;
  readonly high: string | null;
}

const ALL: Window = { low: null, high: null };

/**
 * The window every indexed range matching `prefix value` must overlap (a necessary condition used
 * to reach candidates through the span index; the exact prefix predicate still decides).
 */
export function windowFor(prefix: Prefix, low: string, high: string): Window {
  switch (prefix) {
    case 'eq':
    case 'ap':
      return { low, high };
    case 'ge':
      return { low, high: null };
    case 'gt':
    case 'sa':
      return { low: high, high: null };
    case 'lt':
    case 'eb':
      return { low: null, high: low };
    case 'le':
      return { low: null, high };
    case 'ne':
      return ALL;
  }
}

const before = (a: string, b: string) => Date.parse(a) < Date.parse(b);
const min = (a: string | null, b: string | null) => (a === null || b === null ? null : before(a, b) ? a : b);
const max = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : before(a, b) ? b : a);

/** Smallest window containing both (for OR-ed values). */
export function hull(a: Window, b: Window): Window {
  return { low: min(a.low, b.low), high: a.high === null || b.high === null ? null : max(a.high, b.high) };
}

/** Windows both must overlap (for AND-ed filters); undefined when they cannot both hold. */
export function intersect(a: Window, b: Window): Window | undefined {
  const low = max(a.low, b.low);
  const high = a.high === null ? b.high : b.high === null ? a.high : before(a.high, b.high) ? a.high : b.high;
  if (low !== null && high !== null && before(high, low)) return undefined;
  return { low, high };
}

export function isOpen(w: Window): boolean {
  return w.low === null && w.high === null;
}
