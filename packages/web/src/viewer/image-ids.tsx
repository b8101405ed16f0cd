import { wadors } from '@cornerstonejs/dicom-image-loader';
import { type DicomJson, numberValue, stringValue, TAG } from './dicom-json.tsx';

type LoaderMetadata = Parameters<typeof wadors.metaDataManager.add>[1];

/** One displayable frame of a series, in display order. */
export interface StackImages {
  readonly imageIds: string[];
}

function byInstanceNumber(a: DicomJson, b: DicomJson): number {
  return (numberValue(a, TAG.InstanceNumber) ?? 0) - (numberValue(b, TAG.InstanceNumber) ?? 0);
}

/**
 * Builds the `wadors:` image ids of a series from its WADO-RS metadata (one per frame:
 * `…/instances/{sop}/frames/{n}`, PS3.18 §10.4.1.1.5) and hands each instance's metadata to the
 * loader, which reads pixel module, VOI LUT and geometry from it instead of re-fetching.
 * Multi-frame instances are registered once, on frame 1: the loader derives the others from it.
 */
export function registerSeriesImages(options: {
  readonly baseUrl: string;
  readonly study: string;
  readonly series: string;
  readonly metadata: readonly DicomJson[];
}): StackImages {
  const { baseUrl, study, series } = options;
  const imageIds: string[] = [];
  for (const instance of [...options.metadata].sort(byInstanceNumber)) {
    const sop = stringValue(instance, TAG.SOPInstanceUID);
    if (!sop) continue;
    const prefix = `wadors:${baseUrl}/studies/${study}/series/${series}/instances/${sop}/frames/`;
    // The loader's WADORSMetaData type claims every element has a Value; DICOM JSON allows none
    // (empty attributes) or BulkDataURI (PS3.18 §F.2.5), which the loader handles at run time.
    wadors.metaDataManager.add(`${prefix}1`, instance as unknown as LoaderMetadata);
    const frames = Math.max(1, numberValue(instance, TAG.NumberOfFrames) ?? 1);
    for (let frame = 1; frame <= frames; frame++) imageIds.push(`${prefix}${frame}`);
  }
  return { imageIds };
}
