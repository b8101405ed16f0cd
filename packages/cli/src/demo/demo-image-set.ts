import { join } from 'node:path';
import type { ImagingStudy, Resource } from '@medplum/fhirtypes';
import { custodianOf, parseSearchRequest } from '@yiyun/fhir';
import type { Store } from '@yiyun/store';
import { generateRegion, SYSTEMS } from '@yiyun/synth';
import { demoSynthOptions } from './load-demo.ts';

/** One demo study's Part 10 file and where its records are. */
export interface DemoImage {
  readonly studyUid: string;
  /** `Organization` id holding the ImagingStudy: the institution that sends the image. */
  readonly custodian: string;
  /** `Patient/<id>` the ImagingStudy refers to. */
  readonly subject: string;
  readonly file: string;
}

const studyUidOf = (study: ImagingStudy) =>
  study.identifier?.find((i) => i.system === SYSTEMS.dicomUid)?.value?.replace(/^urn:oid:/, '');

/**
 * Generates the demo region again with DICOM on (the generator is deterministic: same seed, "today"
 * and size give the same resources and the same UIDs as the region in the store), keeping only what
 * sending the images needs; the files go to `<dir>/dicom/<StudyInstanceUID>.dcm`.
 */
export async function generateDemoImages(residents: number, dir: string): Promise<DemoImage[]> {
  const images: DemoImage[] = [];
  const collect = (resource: Resource) => {
    if (resource.resourceType !== 'ImagingStudy') return;
    const study = resource as ImagingStudy;
    const studyUid = studyUidOf(study);
    const custodian = custodianOf(study);
    const subject = study.subject?.reference;
    if (!studyUid || !custodian || !subject) return;
    const file = join(dir, 'dicom', `${studyUid}.dcm`);
    images.push({ studyUid, custodian, subject, file });
  };
  await generateRegion(
    { ...demoSynthOptions(residents, dir), dicom: true },
    {
      write: collect,
      close: async () => {},
    },
  );
  return images;
}

/** UIDs per search: keeps the query string short. */
const BATCH = 50;

/**
 * The UIDs of the studies the store holds as generated (same custodian and subject): a store that
 * holds other data than this data directory's demo region gets no images for records it lacks.
 */
export async function studiesInStore(
  store: Pick<Store, 'repository' | 'registry'>,
  images: readonly DemoImage[],
): Promise<Set<string>> {
  const repo = store.repository();
  const expected = new Map(images.map((i) => [i.studyUid, i]));
  const found = new Set<string>();
  const uids = [...expected.keys()];
  for (let i = 0; i < uids.length; i += BATCH) {
    const batch = uids.slice(i, i + BATCH);
    const params = new URLSearchParams({
      identifier: batch.map((uid) => `${SYSTEMS.dicomUid}|urn:oid:${uid}`).join(','),
      _count: String(BATCH * 2),
    });
    const request = parseSearchRequest('ImagingStudy', params, store.registry, { maxCount: BATCH * 2 });
    const result = await repo.search({ ...request, total: 'none', include: [], revinclude: [] });
    for (const match of result.matches) {
      const study = match as ImagingStudy;
      const uid = studyUidOf(study);
      const want = uid ? expected.get(uid) : undefined;
      if (want && custodianOf(study) === want.custodian && study.subject?.reference === want.subject)
        found.add(want.studyUid);
    }
  }
  return found;
}
