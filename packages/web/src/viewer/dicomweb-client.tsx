import { authorizationFor } from './access-token.tsx';
import { type DicomJson, TAG } from './dicom-json.tsx';

/** A DICOMweb request that failed, with its HTTP status (0: network error). */
export class DicomWebError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'DicomWebError';
    this.status = status;
  }
}

export interface DicomWebClientOptions {
  /** Absolute base URL of the DICOMweb service, without trailing slash. */
  readonly baseUrl: string;
  readonly token: () => string | undefined;
  readonly appOrigin: string;
}

export interface DicomWebClient {
  readonly baseUrl: string;
  /** QIDO-RS study search (PS3.18 §10.6) for one StudyInstanceUID. */
  findStudy(study: string, signal?: AbortSignal): Promise<DicomJson | undefined>;
  /** QIDO-RS: the series of a study (PS3.18 §10.6.1, `/studies/{study}/series`). */
  findSeries(study: string, signal?: AbortSignal): Promise<DicomJson[]>;
  /** WADO-RS series metadata (PS3.18 §10.4.1.1.2, `/studies/{s}/series/{se}/metadata`). */
  seriesMetadata(study: string, series: string, signal?: AbortSignal): Promise<DicomJson[]>;
}

/** `/dicomweb`, `dicomweb/` or `https://pacs.example/dicomweb` → absolute URL without trailing slash. */
export function resolveBaseUrl(base: string, pageUrl: string): string {
  return new URL(base, pageUrl).href.replace(/\/+$/, '');
}

export function createDicomWebClient(options: DicomWebClientOptions): DicomWebClient {
  const { baseUrl } = options;

  async function getJson(path: string, signal?: AbortSignal): Promise<DicomJson[]> {
    const url = `${baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          Accept: 'application/dicom+json',
          ...authorizationFor(url, options.token(), options.appOrigin),
        },
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new DicomWebError(`network error: ${path}`, 0);
    }
    // QIDO-RS answers 204 No Content when nothing matches (PS3.18 §10.6.3.3).
    if (response.status === 204) return [];
    if (!response.ok) throw new DicomWebError(`HTTP ${response.status}: ${path}`, response.status);
    const body: unknown = await response.json();
    if (!Array.isArray(body)) throw new DicomWebError(`not a DICOM JSON array: ${path}`, response.status);
    return body as DicomJson[];
  }

  const enc = encodeURIComponent;
  return {
    baseUrl,
    async findStudy(study, signal) {
      const query = `${TAG.StudyInstanceUID}=${enc(study)}&includefield=${TAG.StudyDescription}`;
      const [first] = await getJson(`/studies?${query}`, signal);
      return first;
    },
    findSeries: (study, signal) => getJson(`/studies/${enc(study)}/series`, signal),
    seriesMetadata: (study, series, signal) =>
      getJson(`/studies/${enc(study)}/series/${enc(series)}/metadata`, signal),
  };
}
