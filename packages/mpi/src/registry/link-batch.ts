import { randomUUID } from 'node:crypto';
import type { Patient } from '@medplum/fhirtypes';
import type { Queryable } from '@yiyun/store';
import { blockHash, blockingKeys } from '../match/blocking.ts';
import { type Candidate, decide, rankPersons } from '../match/decide.ts';
import type { MatchModel } from '../match/model.ts';
import type { HanConverter } from '../normalize/han.ts';
import { type MatchRecord, toMatchRecord } from '../normalize/record.ts';
import {
  blockMembers,
  claimChanges,
  nameFrequencies,
  nonMatches,
  patientsByRid,
  personMembers,
  type StoredRecord,
  storedRecords,
} from './queries.ts';
import { type BatchWrite, type LinkedRecord, type ReviewItem, saveBatch } from './save.ts';

export interface LinkContext {
  readonly han: HanConverter;
  readonly model: MatchModel;
  readonly today: string;
  /** Largest block read per key: keeps candidate sets small when a key is common. */
  readonly blockCap: number;
  readonly actor: string;
}

export interface BatchReport {
  readonly claimed: number;
  readonly linked: number;
  readonly newPersons: number;
  readonly reviews: number;
  readonly removed: number;
}

interface Pending {
  readonly rid: string;
  readonly record: MatchRecord;
  readonly keys: readonly string[];
  readonly hashes: readonly string[];
}

/** Claims up to `limit` queued Patient changes and links them, in the caller's transaction. */
export async function linkBatch(tx: Queryable, ctx: LinkContext, limit: number): Promise<BatchReport> {
  const rids = await claimChanges(tx, limit);
  if (rids.length === 0) return { claimed: 0, linked: 0, newPersons: 0, reviews: 0, removed: 0 };
  const rows = await patientsByRid(tx, rids);
  const pending: Pending[] = [];
  const deleted: string[] = [];
  for (const row of rows) {
    if (row.deleted) {
      deleted.push(row.id);
      continue;
    }
    const record = toMatchRecord(ctx.han, row.content as Patient, {
      custodian: row.custodian,
      today: ctx.today,
    });
    const keys = blockingKeys(record);
    pending.push({ rid: row.rid, record, keys, hashes: keys.map(blockHash) });
  }
  const ids = pending.map((p) => p.record.id);
  const existing = await storedRecords(tx, [...ids, ...deleted]);
  const write = await decideBatch(tx, ctx, pending, existing);
  const removed = deleted.flatMap((id) => {
    const e = existing.get(id);
    return e ? [{ patientId: id, personId: e.personId }] : [];
  });
  await saveBatch(tx, { ...write, removed });
  return {
    claimed: rids.length,
    linked: write.linked.length,
    newPersons: write.newPersons.length,
    reviews: write.reviews.length,
    removed: removed.length,
  };
}

async function decideBatch(
  tx: Queryable,
  ctx: LinkContext,
  pending: readonly Pending[],
  existing: Map<string, StoredRecord>,
): Promise<Omit<BatchWrite, 'removed'>> {
  const batchIds = new Set(pending.map((p) => p.record.id));
  const members = await blockMembers(tx, [...new Set(pending.flatMap((p) => p.hashes))], ctx.blockCap);
  const candidateIds = new Set<string>();
  for (const list of members.values()) for (const id of list) if (!batchIds.has(id)) candidateIds.add(id);
  const known = await storedRecords(tx, [...candidateIds]);
  const frequencies = await nameFrequencies(
    tx,
    pending.map((p) => p.record.name?.frequencyKey ?? ''),
  );
  const total = frequencies.get('') ?? 0;
  const frequency = (key: string) => {
    const n = frequencies.get(key);
    return total > 1000 && n ? n / total : undefined;
  };
  const excluded = await nonMatches(tx, [...batchIds]);
  const sizes = await personMembers(tx, [...new Set([...existing.values()].map((e) => e.personId))]);
  // Records decided earlier in this batch, by block hash: duplicates within one import find each other.
  const inBatch = new Map<string, Candidate[]>();
  const linked: LinkedRecord[] = [];
  const newPersons: string[] = [];
  const reviews: ReviewItem[] = [];
  const newNames: string[] = [];
  for (const p of pending) {
    const prior = existing.get(p.record.id);
    const seen = new Set<string>();
    const candidates: Candidate[] = [];
    for (const h of p.hashes) {
      for (const id of members.get(h) ?? []) {
        const c = known.get(id);
        if (!c || seen.has(id) || excluded.get(p.record.id)?.has(c.personId)) continue;
        seen.add(id);
        candidates.push({ record: c.record, personId: c.personId });
      }
      for (const c of inBatch.get(h) ?? []) {
        if (seen.has(c.record.id)) continue;
        candidates.push(c);
        seen.add(c.record.id);
      }
    }
    const result = resolve(ctx, p, prior, candidates, frequency, known, sizes);
    if (result.newPerson) newPersons.push(result.link.personId);
    if (!prior && p.record.name) newNames.push(p.record.name.frequencyKey);
    linked.push(result.link);
    reviews.push(...result.reviews);
    for (const h of p.hashes) {
      const list = inBatch.get(h) ?? [];
      list.push({ record: p.record, personId: result.link.personId });
      inBatch.set(h, list);
    }
  }
  return { linked, newPersons, reviews, newNames, actor: ctx.actor };
}

function resolve(
  ctx: LinkContext,
  p: Pending,
  prior: StoredRecord | undefined,
  candidates: readonly Candidate[],
  frequency: (key: string) => number | undefined,
  known: Map<string, StoredRecord>,
  sizes: Map<string, string[]>,
): { link: LinkedRecord; newPerson: boolean; reviews: ReviewItem[] } {
  const base = { rid: p.rid, record: p.record, blocks: p.hashes, previousPersonId: prior?.personId ?? null };
  // An operator's decision stands until an operator changes it.
  if (prior?.kind === 'manual')
    return {
      link: { ...base, personId: prior.personId, kind: 'manual', probability: null, evidence: null },
      newPerson: false,
      reviews: [],
    };
  // The institution itself merged this record into another of its own (PMIR ITI-104 feed).
  const target = p.record.replacedBy
    ? (known.get(p.record.replacedBy) ?? candidates.find((c) => c.record.id === p.record.replacedBy))
    : undefined;
  if (target)
    return {
      link: { ...base, personId: target.personId, kind: 'feed', probability: null, evidence: null },
      newPerson: false,
      reviews: [],
    };
  const ranked = rankPersons(ctx.model, p.record, candidates, frequency);
  const decision = decide(ctx.model, ranked);
  if (decision.outcome === 'link') {
    const s = decision.person.score;
    return {
      link: {
        ...base,
        personId: decision.person.personId,
        kind: s.certain ? 'certain' : 'auto',
        probability: s.probability,
        evidence: s.evidence,
      },
      newPerson: false,
      reviews: [],
    };
  }
  // Not linked: keep the record's own person when it has no other records, else a new one.
  const alone = prior && (sizes.get(prior.personId) ?? []).every((id) => id === p.record.id);
  const personId = alone ? prior.personId : randomUUID();
  const possible = decision.outcome === 'review' ? decision.possible : [];
  return {
    link: { ...base, personId, kind: possible.length ? 'review' : 'new', probability: null, evidence: null },
    newPerson: !alone,
    reviews: possible
      .filter((m) => m.personId !== personId)
      .map((m) => ({
        patientId: p.record.id,
        candidatePersonId: m.personId,
        candidatePatientId: m.patientId,
        probability: m.score.probability,
        weight: m.score.weight,
        evidence: m.score.evidence,
      })),
  };
}
