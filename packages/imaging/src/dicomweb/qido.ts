import type { Context } from 'hono';
import type { DicomJson } from '../service/port.ts';
import { acceptOf, callerFor, type Route } from './context.ts';
import { warningHeader } from './errors.ts';
import { negotiate, type Offer } from './media-type.ts';
import { parseQidoQuery, type QueryScope } from './query.ts';
import { notAcceptable } from './wado.ts';

/**
 * QIDO-RS Search (PS3.18 §10.6): studies, series and instances, at every level of the path.
 * Answered as a DICOM JSON array (§10.6.3.3, Annex F). No match is `200 []`: PS3.18 §8.3.4.4.1
 * says 204 up to 2025, which RFC 9110 §15.3.5 and IHE forbid with a body; CP-2473 changes it to
 * 200 with an empty payload, which is also what clients (dicomweb-client, OHIF) expect.
 */
const OFFERS: readonly Offer[] = [
  { multipart: false, type: 'application/dicom+json' },
  { multipart: false, type: 'application/json' },
];

export async function search(route: Route, c: Context, scope: QueryScope): Promise<Response> {
  const offer = negotiate(acceptOf(c), OFFERS);
  if (!offer)
    throw notAcceptable(
      c,
      'application/dicom+json (multipart/related; type="application/dicom+xml" is not supported)',
    );
  const { query, warnings } = parseQidoQuery(new URL(c.req.url).searchParams, scope);
  const caller = await callerFor(route, c, 'qido-rs');
  const results = (await route.deps.service.query(query, caller)).map((r) =>
    withRetrieveUrl(route, scope, r),
  );
  const headers = new Headers({ 'content-type': offer.type });
  for (const w of warnings.slice(0, 20)) headers.append('warning', warningHeader(w));
  return new Response(JSON.stringify(results), { status: 200, headers });
}

/** Retrieve URL (0008,1190) of each match (PS3.18 Table 10.6.3-3), when the service left it out. */
function withRetrieveUrl(route: Route, scope: QueryScope, result: DicomJson): DicomJson {
  if (result['00081190']) return result;
  const uid = (tag: string) => {
    const v = result[tag]?.Value?.[0];
    return typeof v === 'string' ? v : undefined;
  };
  const study = uid('0020000D');
  const series = uid('0020000E');
  const instance = uid('00080018');
  let url: string | undefined;
  if (scope.level === 'study' && study) url = route.urls.study(study);
  else if (scope.level === 'series' && study && series) url = route.urls.series(study, series);
  else if (scope.level === 'instance' && study && series && instance)
    url = route.urls.instance(study, series, instance);
  return url ? { ...result, '00081190': { vr: 'UR', Value: [url] } } : result;
}
