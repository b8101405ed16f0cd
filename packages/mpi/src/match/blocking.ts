import { hash } from 'node:crypto';
import type { MatchRecord } from '../normalize/record.ts';

/**
 * Blocking keys: two records are compared only when they share a key. Each key stands for one
 * field that survived intact — the ID number, the health card, a passport, a phone number, the name (any
 * order, any surname reading) with the birth year, or the full birth date with the surname — so a
 * duplicate with errors in the others is still found, while a block holds a few records even in a
 * city of millions (people born on one day with one surname). Oversized blocks are capped at lookup.
 */
export function blockingKeys(r: MatchRecord): string[] {
  const keys = new Set<string>();
  if (r.residentId) keys.add(`i:${r.residentId}`);
  if (r.healthCard) keys.add(`c:${r.healthCard}`);
  for (const d of r.documents ?? []) keys.add(`t:${d}`);
  for (const p of r.phones) keys.add(`p:${p}`);
  for (const form of r.name?.forms ?? []) keys.add(r.birthYear ? `n:${form}|${r.birthYear}` : `n:${form}`);
  if (r.birthDate) for (const f of r.name?.family ?? []) keys.add(`d:${r.birthDate}|${f}`);
  return [...keys];
}

/** A key as the 64-bit integer stored in the block index (first 8 bytes of its SHA-1). */
export function blockHash(key: string): string {
  return hash('sha1', key, 'buffer').readBigInt64BE(0).toString();
}
