import { asQueryable, type Database } from '@yiyun/store';
import type { DicomJson, ImagingQuery } from '../../service/port.ts';
import { compileQuery } from './compile.ts';
import { type ResultRow, toDicomJson } from './results.ts';
import type { Viewer } from './visibility.ts';

export interface QueryAnswer {
  readonly results: DicomJson[];
  /** StudyInstanceUIDs and FHIR Patient ids of the matches (for the audit trail). */
  readonly studyUids: readonly string[];
  readonly patientIds: readonly string[];
}

/** QIDO-RS / C-FIND over the index: one statement, access-filtered in SQL. */
export async function queryIndex(
  sql: Database['sql'],
  query: ImagingQuery,
  viewer: Viewer,
): Promise<QueryAnswer> {
  const compiled = compileQuery(query, viewer);
  const rows = await asQueryable(sql).unsafe<(ResultRow & { audit_study: string; audit_patient: string })[]>(
    compiled.text,
    compiled.values,
  );
  return {
    results: rows.map((row) => toDicomJson(row, compiled)),
    studyUids: [...new Set(rows.map((r) => r.audit_study))],
    patientIds: [...new Set(rows.map((r) => r.audit_patient))],
  };
}
