import { asQueryable, type Database } from '@yiyun/store';
import type { InstanceLocation, InstanceSelector } from '../service/port.ts';
import { parseUidList } from './match-values.ts';
import { Params } from './query/params.ts';
import { STUDY_SOURCE, type Viewer, visibility } from './query/visibility.ts';

interface LocationRow {
  study_uid: string;
  series_uid: string;
  sop_uid: string;
  sop_class: string;
  transfer_syntax: string;
  blob_key: string;
  size: string;
  number_of_frames: number;
  patient_id: string;
}

export interface Located {
  readonly locations: InstanceLocation[];
  readonly patientIds: readonly string[];
}

/**
 * The instances under a study / series / instance the caller may see, in series then instance
 * order (WADO-RS, C-MOVE, C-GET). A study the caller may not see yields nothing, like one that
 * does not exist.
 */
export async function locateInstances(
  sql: Database['sql'],
  selector: InstanceSelector,
  viewer: Viewer,
): Promise<Located> {
  const p = new Params();
  const where = [`i.study_uid = ${p.add(parseUidList('0020000D', selector.study)[0], 'text')}`];
  if (selector.series !== undefined)
    where.push(`i.series_uid = ${p.add(parseUidList('0020000E', selector.series)[0], 'text')}`);
  if (selector.instance !== undefined)
    where.push(`i.sop_uid = ${p.add(parseUidList('00080018', selector.instance)[0], 'text')}`);
  const visible = visibility(viewer, 's', p.add);
  if (visible) where.push(visible);
  const rows = await asQueryable(sql).unsafe<LocationRow[]>(
    `select i.study_uid, i.series_uid, i.sop_uid, i.sop_class, i.transfer_syntax, i.blob_key, i.size::text as size,
       i.number_of_frames, s.patient_id
     from imaging_instance i join imaging_series r on r.series_uid = i.series_uid
     join ${STUDY_SOURCE} s on s.study_uid = i.study_uid
     where ${where.join(' and ')}
     order by r.series_number nulls last, r.series_uid, i.instance_number nulls last, i.sop_uid`,
    p.values,
  );
  return {
    locations: rows.map((r) => ({
      studyUid: r.study_uid,
      seriesUid: r.series_uid,
      sopInstanceUid: r.sop_uid,
      sopClassUid: r.sop_class,
      transferSyntaxUid: r.transfer_syntax,
      blobKey: r.blob_key,
      size: Number(r.size),
      numberOfFrames: r.number_of_frames,
    })),
    patientIds: [...new Set(rows.map((r) => r.patient_id))],
  };
}
