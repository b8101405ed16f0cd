import type { Address } from '@medplum/fhirtypes';
import type { HanConverter } from './han.ts';

/** A home address reduced for comparison: its district and the character bigrams of its lines. */
export interface AddressFacts {
  readonly district: string | null;
  /** Sorted, de-duplicated bigrams of the address below the district (street, community, dwelling). */
  readonly grams: readonly string[];
}

function bigrams(text: string): string[] {
  const chars = [...text];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return [...out].sort();
}

/** The home (else first) address: simplified characters, case folded, punctuation and spaces gone. */
export function readAddress(
  han: HanConverter,
  addresses: readonly Address[] | undefined,
): AddressFacts | null {
  const a = addresses?.find((x) => x.use === 'home') ?? addresses?.[0];
  if (!a) return null;
  const clean = (s: string) =>
    han
      .toSimplified(s)
      .toLowerCase()
      .replace(/[\s\p{P}\p{S}]/gu, '');
  const below = a.line?.length ? a.line.join('') : (a.text ?? '');
  let text = clean(below);
  // A free-text address repeats the province, city and district: keep what follows them.
  for (const part of [a.state, a.city, a.district]) {
    if (!part) continue;
    const p = clean(part);
    const at = text.indexOf(p);
    if (p && at >= 0 && at < 12) text = text.slice(at + p.length);
  }
  const district = a.district ? clean(a.district) : null;
  const grams = bigrams(text);
  if (!district && grams.length === 0) return null;
  return { district, grams };
}

/** Jaccard similarity of two sorted bigram lists. */
export function gramSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}
