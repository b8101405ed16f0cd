import { asQueryable, type Database } from '@yiyun/store';
import { laggingStudies, markSynced, studySummary } from '../index/summary.ts';
import type { StudyState } from '../index/upsert.ts';
import type { StudyRecords } from './records-port.ts';

export interface StudySyncOptions {
  readonly sql: Database['sql'];
  readonly records: StudyRecords;
  /** How long an ImagingStudy may lag behind the index while instances keep arriving (ms). */
  readonly intervalMs: number;
  readonly now: () => Date;
}

export interface SyncHint {
  readonly studyCreated: boolean;
  readonly seriesCreated: boolean;
}

/**
 * Keeps each study's ImagingStudy in step with the index without a FHIR write per instance: it is
 * written when the study or one of its series is new (so it exists before the first instance is
 * acknowledged) and otherwise at most once per `intervalMs` while instances arrive; `flush` brings
 * the rest up to date (the edges call it at the end of a STOW-RS request or DIMSE association).
 * Every replica may sync any study: writes are conditional in the records adapter, and the index
 * remembers the highest version written.
 */
export class StudySync {
  readonly #options: StudySyncOptions;

  constructor(options: StudySyncOptions) {
    this.#options = options;
  }

  /** Whether the study's ImagingStudy must be written before acknowledging this instance. */
  isDue(state: StudyState, hint: SyncHint): boolean {
    if (state.imagingStudyId === null || hint.studyCreated || hint.seriesCreated) return true;
    if (state.fhirVersion >= state.version) return false;
    const last = state.fhirSyncedAt?.getTime() ?? 0;
    return this.#options.now().getTime() - last >= this.#options.intervalMs;
  }

  /** Writes the ImagingStudy from the index's current summary and records the version it shows. */
  async sync(state: Pick<StudyState, 'studyUid' | 'patientId' | 'custodian'>): Promise<void> {
    const q = asQueryable(this.#options.sql);
    const summary = await studySummary(q, state.studyUid);
    if (!summary) return;
    const record = await this.#options.records.upsertImagingStudy(summary, state.patientId, state.custodian);
    await markSynced(q, {
      studyUid: state.studyUid,
      version: summary.version,
      imagingStudyId: record.id,
      labels: record.labels,
    });
  }

  /** Syncs every lagging study (or the given ones); returns how many were written. */
  async flush(studies?: readonly string[]): Promise<number> {
    const q = asQueryable(this.#options.sql);
    let done = 0;
    for (;;) {
      const batch = await laggingStudies(q, { ...(studies ? { studies } : {}), limit: 100 });
      if (batch.length === 0) return done;
      for (const study of batch) await this.sync(study);
      done += batch.length;
      // A study that keeps changing while we flush is picked up by the next flush, not looped on.
      if (studies || batch.length < 100) return done;
    }
  }
}
