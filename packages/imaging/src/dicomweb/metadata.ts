import type { Context } from 'hono';
import type { DicomJson, DicomJsonElement, InstanceLocation, InstanceSelector } from '../service/port.ts';
import { acceptOf, type Route } from './context.ts';
import { negotiate, type Offer } from './media-type.ts';
import { locateOr404, notAcceptable } from './wado.ts';

/**
 * WADO-RS Retrieve Metadata (PS3.18 §10.4.1.1.2, §8.7.3.2): the DICOM JSON (Annex F) of every
 * visible instance at the study, series or instance level. Bulk data elements carry `BulkDataURI`s
 * to `…/instances/{i}/bulkdata/{path}` (§8.6.2, the path is the tag path inside the instance); the
 * stored transfer syntax is given as Available Transfer Syntax UID (0008,3002).
 */
const JSON_OFFERS: readonly Offer[] = [
  { multipart: false, type: 'application/dicom+json' },
  { multipart: false, type: 'application/json' },
];

/** Instances parsed at once: metadata of a large study is read and parsed, a few at a time. */
const PARALLEL_READS = 4;

export async function retrieveMetadata(
  route: Route,
  c: Context,
  selector: InstanceSelector,
): Promise<Response> {
  const offer = negotiate(acceptOf(c), JSON_OFFERS);
  if (!offer) throw notAcceptable(c, 'application/dicom+json');
  const locations = await locateOr404(route, c, selector);
  const datasets = await mapLimited(locations, PARALLEL_READS, (loc) => instanceMetadata(route, loc));
  return new Response(JSON.stringify(datasets), { headers: { 'content-type': offer.type } });
}

async function instanceMetadata(route: Route, loc: InstanceLocation): Promise<DicomJson> {
  const part10 = await route.deps.service.read(loc);
  const parsed = route.deps.parse(part10);
  const base = `${route.urls.instance(loc.studyUid, loc.seriesUid, loc.sopInstanceUid)}/bulkdata/`;
  const dataset = rewriteBulkDataUris(parsed.dataset, base);
  return { ...dataset, '00083002': { vr: 'UI', Value: [loc.transferSyntaxUid] } };
}

/** `bulk:<path>` (the parser's relative form) → `<base><path>`, in sequences too. */
export function rewriteBulkDataUris(dataset: DicomJson, base: string): DicomJson {
  const out: Record<string, DicomJsonElement> = {};
  for (const [tag, element] of Object.entries(dataset)) out[tag] = rewriteElement(element, base);
  return out;
}

function rewriteElement(element: DicomJsonElement, base: string): DicomJsonElement {
  if (element.BulkDataURI?.startsWith('bulk:')) {
    return { ...element, BulkDataURI: base + element.BulkDataURI.slice('bulk:'.length) };
  }
  if (element.vr === 'SQ' && element.Value) {
    return { ...element, Value: element.Value.map((item) => rewriteBulkDataUris(item as DicomJson, base)) };
  }
  return element;
}

/** `map` with at most `limit` calls in flight, results in order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
