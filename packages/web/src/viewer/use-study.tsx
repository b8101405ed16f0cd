import { useEffect, useState } from 'react';
import { type DicomJson, numberValue, stringValue, TAG } from './dicom-json.tsx';
import type { DicomWebClient } from './dicomweb-client.tsx';
import { registerSeriesImages } from './image-ids.tsx';

/** Loading / failed / loaded, for one asynchronous thing. */
export type Loadable<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly error: unknown }
  | { readonly state: 'ready'; readonly value: T };

export interface StudyOverview {
  readonly study: DicomJson | undefined;
  /** Series in SeriesNumber order (PS3.3 §C.7.3.1). */
  readonly series: DicomJson[];
}

function bySeriesNumber(a: DicomJson, b: DicomJson): number {
  return (numberValue(a, TAG.SeriesNumber) ?? 0) - (numberValue(b, TAG.SeriesNumber) ?? 0);
}

/** QIDO-RS: the study's attributes and its series (a retry remounts the caller). */
export function useStudy(client: DicomWebClient, study: string): Loadable<StudyOverview> {
  const [result, setResult] = useState<Loadable<StudyOverview>>({ state: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    setResult({ state: 'loading' });
    // The study-level query only adds the header; its failure must not hide the images.
    const header = client.findStudy(study, abort.signal).catch(() => undefined);
    Promise.all([header, client.findSeries(study, abort.signal)]).then(
      ([attributes, series]) =>
        setResult({ state: 'ready', value: { study: attributes, series: series.sort(bySeriesNumber) } }),
      (error: unknown) => abort.signal.aborted || setResult({ state: 'error', error }),
    );
    return () => abort.abort();
  }, [client, study]);
  return result;
}

/** WADO-RS series metadata → the `wadors:` image ids of the series, metadata registered with the loader. */
export function useSeriesImages(
  client: DicomWebClient,
  study: string,
  series: string | undefined,
): Loadable<string[]> | undefined {
  const [result, setResult] = useState<Loadable<string[]>>();
  useEffect(() => {
    if (!series) return setResult(undefined);
    const abort = new AbortController();
    setResult({ state: 'loading' });
    client.seriesMetadata(study, series, abort.signal).then(
      (metadata) => {
        const { imageIds } = registerSeriesImages({ baseUrl: client.baseUrl, study, series, metadata });
        setResult({ state: 'ready', value: imageIds });
      },
      (error: unknown) => abort.signal.aborted || setResult({ state: 'error', error }),
    );
    return () => abort.abort();
  }, [client, study, series]);
  return result;
}

/** The series shown first: the first in order that has a SeriesInstanceUID. */
export function firstSeriesUid(series: readonly DicomJson[]): string | undefined {
  for (const s of series) {
    const uid = stringValue(s, TAG.SeriesInstanceUID);
    if (uid) return uid;
  }
  return undefined;
}
