import type { Patient } from '@medplum/fhirtypes';
import { asQueryable, type Database, migrateModule, type Queryable } from '@yiyun/store';
import { blockHash, blockingKeys } from '../match/blocking.ts';
import { rankPersons } from '../match/decide.ts';
import { type TrainingReport, trainModel } from '../match/em.ts';
import { DEFAULT_MODEL, type MatchModel, upgradeModel } from '../match/model.ts';
import type { PairScore } from '../match/score.ts';
import { createHanConverter, type HanConverter } from '../normalize/han.ts';
import { type MatchRecord, toMatchRecord } from '../normalize/record.ts';
import { type FoundRecord, findRecords, queryAsPatient } from './find.ts';
import { type BatchReport, linkBatch } from './link-batch.ts';
import { MPI_MIGRATIONS } from './migrations.ts';
import { blockMembers, nameFrequencies, storedRecords } from './queries.ts';

/** Arbitrary constant: one linker at a time across every replica, so that two registrations of one new person make one person. */
const LINK_LOCK = 720_190_501;

export interface RegistryOptions {
  readonly database: Database;
  readonly han?: HanConverter;
  /** Overrides the stored (trained) model's thresholds. */
  readonly thresholds?: Partial<MatchModel['thresholds']>;
  readonly batchSize?: number;
  readonly blockCap?: number;
  readonly now?: () => Date;
}

export interface DrainReport {
  readonly batches: number;
  readonly linked: number;
  readonly newPersons: number;
  readonly reviews: number;
  readonly removed: number;
}

/** A scored candidate record for `$match`. */
export interface MatchCandidate {
  readonly patientId: string;
  readonly personId: string;
  readonly score: PairScore;
  readonly grade: 'certain' | 'probable' | 'possible';
}

export type MatchGrade = MatchCandidate['grade'];

export class ResidentRegistry {
  readonly #db: Database;
  readonly #q: Queryable;
  readonly #han: HanConverter;
  readonly #options: RegistryOptions;
  #model: MatchModel = DEFAULT_MODEL;

  private constructor(options: RegistryOptions) {
    this.#db = options.database;
    this.#q = asQueryable(options.database.sql);
    this.#han = options.han ?? createHanConverter();
    this.#options = options;
  }

  /** Migrates the registry's tables and loads the stored model (or the default one). */
  static async open(options: RegistryOptions): Promise<ResidentRegistry> {
    await migrateModule(options.database.sql, 'mpi', MPI_MIGRATIONS);
    const registry = new ResidentRegistry(options);
    await registry.reloadModel();
    return registry;
  }

  get queryable(): Queryable {
    return this.#q;
  }

  get model(): MatchModel {
    return this.#model;
  }

  async reloadModel(): Promise<MatchModel> {
    const rows = await this.#q.unsafe<{ model: unknown }[]>('select model from mpi_model where id = 1');
    const stored = rows[0]?.model;
    const base = upgradeModel(stored) ?? DEFAULT_MODEL;
    this.#model = { ...base, thresholds: { ...base.thresholds, ...this.#options.thresholds } };
    return this.#model;
  }

  #today(): string {
    return (this.#options.now?.() ?? new Date()).toISOString().slice(0, 10);
  }

  normalise(patient: Patient, custodian: string | null = null): MatchRecord {
    return toMatchRecord(this.#han, patient, { custodian, today: this.#today() });
  }

  /**
   * Links every queued Patient change, batch by batch, each batch one transaction under the
   * registry's lock. Safe to call from any number of replicas and requests at once.
   */
  async drain(options: { actor?: string; onBatch?: (r: BatchReport) => void } = {}): Promise<DrainReport> {
    const total = { batches: 0, linked: 0, newPersons: 0, reviews: 0, removed: 0 };
    const ctx = {
      han: this.#han,
      model: this.#model,
      today: this.#today(),
      blockCap: this.#options.blockCap ?? 100,
      actor: options.actor ?? 'registry',
    };
    for (;;) {
      const pending = await this.#q.unsafe<{ one: number }[]>(
        `select 1 as one from resource_change where type = 'Patient' limit 1`,
      );
      if (pending.length === 0) return total;
      const report = await this.#db.sql.begin(async (tx) => {
        const q = asQueryable(tx);
        await q.unsafe('select pg_advisory_xact_lock($1::int8)', [LINK_LOCK]);
        return linkBatch(q, ctx, this.#options.batchSize ?? 1000);
      });
      if (report.claimed === 0) return total;
      total.batches++;
      total.linked += report.linked;
      total.newPersons += report.newPersons;
      total.reviews += report.reviews;
      total.removed += report.removed;
      options.onBatch?.(report);
    }
  }

  /**
   * The records a search box's text names (`queryAsPatient`: an ID or health card number, a phone
   * number, a name), grouped by nothing: each with its person. Undefined when the text names no one.
   */
  async find(text: string, limit = 200): Promise<FoundRecord[] | undefined> {
    const query = queryAsPatient(text);
    if (!query) return undefined;
    return findRecords(this.#q, query.kind, this.normalise({ ...query.patient, id: '$find' }), limit);
  }

  /** Scores a demographic query against the registry (PDQm `$match`), best first. */
  async match(
    patient: Patient,
    options: { count?: number; minimum?: number } = {},
  ): Promise<MatchCandidate[]> {
    const record = this.normalise({ ...patient, id: patient.id ?? '$match' });
    const hashes = blockingKeys(record).map(blockHash);
    const members = await blockMembers(this.#q, hashes, this.#options.blockCap ?? 100);
    const ids = [...new Set([...members.values()].flat())];
    const known = await storedRecords(this.#q, ids);
    const frequencies = await nameFrequencies(this.#q, [record.name?.frequencyKey ?? '']);
    const total = frequencies.get('') ?? 0;
    const frequency = (key: string) => {
      const n = frequencies.get(key);
      return total > 1000 && n ? n / total : undefined;
    };
    const scored = [...known.values()].map((c) => ({
      patientId: c.record.id,
      personId: c.personId,
      score: rankPersons(this.#model, record, [{ record: c.record, personId: c.personId }], frequency)[0]!
        .score,
    }));
    const { autoLink, review } = this.#model.thresholds;
    const minimum = options.minimum ?? 0.1;
    return scored
      .filter((s) => s.score.certain || s.score.probability >= minimum)
      .sort((a, b) => Number(b.score.certain) - Number(a.score.certain) || b.score.weight - a.score.weight)
      .slice(0, options.count ?? 10)
      .map((s) => ({
        ...s,
        grade:
          s.score.certain || s.score.probability >= autoLink
            ? 'certain'
            : s.score.probability >= review
              ? 'probable'
              : 'possible',
      }));
  }

  /**
   * Re-estimates the model by EM on the registry's records (all of them, or those whose birth date
   * falls in a random `fraction` of dates, so that duplicates stay together) and stores it.
   */
  async train(options: { fraction?: number; maxRecords?: number } = {}): Promise<TrainingReport> {
    const buckets = Math.max(1, Math.round(1 / (options.fraction ?? 1)));
    const rows = await this.#q.unsafe<{ features: MatchRecord }[]>(
      `select features from mpi_record
       where $1::int4 = 1 or abs(hashtext(coalesce(features->>'birthDate', patient_id))) % $1::int4 = 0
       limit $2::int4`,
      [buckets, options.maxRecords ?? 300_000],
    );
    const report = trainModel(
      rows.map((r) => r.features),
      { ...DEFAULT_MODEL, thresholds: this.#model.thresholds },
      { today: this.#today() },
    );
    await this.#q.unsafe(
      `insert into mpi_model (id, model) values (1, $1::text::jsonb)
       on conflict (id) do update set model = excluded.model, trained_at = now()`,
      [JSON.stringify(report.model)],
    );
    await this.reloadModel();
    return report;
  }

  /** Queues every stored Patient again (after training, to re-decide links with the new model). */
  async requeueAll(): Promise<number> {
    const rows = await this.#q.unsafe<{ n: string }[]>(
      `with q as (insert into resource_change (rid, type)
         select rid, type from resource where type = 'Patient' and not deleted returning 1)
       select count(*)::text as n from q`,
    );
    return Number(rows[0]?.n ?? 0);
  }
}
