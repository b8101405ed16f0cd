import type { DicomJson } from '../service/port.ts';
import { invalidDicom, sopClassNotSupported } from './errors.ts';
import type { FileMeta } from './file-meta.ts';
import { uidProblem } from './uid.ts';

export interface InstanceUids {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly studyUid: string;
  readonly seriesUid: string;
}

export const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';

const REQUIRED = [
  ['sopClassUid', '00080016', 'SOP Class UID (0008,0016)'],
  ['sopInstanceUid', '00080018', 'SOP Instance UID (0008,0018)'],
  ['studyUid', '0020000D', 'Study Instance UID (0020,000D)'],
  ['seriesUid', '0020000E', 'Series Instance UID (0020,000E)'],
] as const;

/** PS3.10 §8.1 / Annex B: a DICOMDIR describes files on media; it has no patient, study or series. */
export function refuseDirectory(sopClassUid: string | undefined): void {
  if (sopClassUid !== MEDIA_STORAGE_DIRECTORY) return;
  throw sopClassNotSupported(
    MEDIA_STORAGE_DIRECTORY,
    'a Media Storage Directory (DICOMDIR) is not an image or document: send the files it references',
  );
}

/**
 * The four UIDs a PACS indexes by, from the dataset (authoritative, as in dcmtk, Orthanc and dcm4chee).
 * File Meta UIDs that differ or are missing are tolerated with a warning; a dataset without SOP Class
 * UID takes the Media Storage SOP Class UID (0002,0002). Everything else missing or malformed is refused.
 */
export function instanceUids(dataset: DicomJson, meta: FileMeta, warnings: string[]): InstanceUids {
  const uids = { sopClassUid: '', sopInstanceUid: '', studyUid: '', seriesUid: '' };
  const missing: string[] = [];
  for (const [field, tag, name] of REQUIRED) {
    const values = dataset[tag]?.Value ?? [];
    let uid = values[0];
    if (typeof uid !== 'string' && field === 'sopClassUid' && meta.mediaStorageSopClassUid) {
      uid = meta.mediaStorageSopClassUid;
      warnings.push(
        'the dataset has no SOP Class UID (0008,0016): the Media Storage SOP Class UID (0002,0002) is used',
      );
    }
    if (typeof uid !== 'string') {
      missing.push(name);
      continue;
    }
    if (values.length > 1) throw invalidDicom(`${name} has ${values.length} values; it must have one`);
    const problem = uidProblem(uid);
    if (problem) throw invalidDicom(`${name} "${uid.slice(0, 80)}" is not a valid UID: it ${problem}`);
    uids[field] = uid;
  }
  // All of them in one reason, so that a sender fixes the instance once.
  if (missing.length > 0) throw invalidDicom(`missing ${missing.join(', ')}`);
  refuseDirectory(uids.sopClassUid);
  if (meta.hasMetaGroup) compareWithMeta(uids, meta, warnings);
  return uids;
}

function compareWithMeta(uids: InstanceUids, meta: FileMeta, warnings: string[]): void {
  const pairs = [
    [
      meta.mediaStorageSopClassUid,
      uids.sopClassUid,
      'Media Storage SOP Class UID (0002,0002)',
      'SOP Class UID (0008,0016)',
    ],
    [
      meta.mediaStorageSopInstanceUid,
      uids.sopInstanceUid,
      'Media Storage SOP Instance UID (0002,0003)',
      'SOP Instance UID (0008,0018)',
    ],
  ] as const;
  for (const [inMeta, inDataset, metaName, datasetName] of pairs) {
    if (inMeta === undefined)
      warnings.push(`File Meta Information has no ${metaName}: the dataset's is used`);
    else if (inMeta !== inDataset)
      warnings.push(`${metaName} differs from ${datasetName}: the dataset's is used`);
  }
}
