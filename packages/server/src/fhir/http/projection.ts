import type { Resource } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import type { ResourceProjector, SummaryMode } from '../types.ts';

/** `_summary` / `_elements` (http://hl7.org/fhir/R4/search.html#summary, #elements). */
export interface Projection {
  readonly summary?: SummaryMode | 'count';
  readonly elements?: readonly string[];
}

const SUMMARY_VALUES: ReadonlySet<string> = new Set(['true', 'false', 'text', 'data', 'count']);
const ELEMENT = /^[A-Za-z][A-Za-z0-9]*(?:\[x\])?$/;

/** Reads `_summary`/`_elements` from a query; `_summary=false` means the whole resource. */
export function parseProjection(query: URLSearchParams): Projection {
  const summary = query.get('_summary');
  const elementsRaw = query.getAll('_elements');
  if (summary !== null && !SUMMARY_VALUES.has(summary)) {
    throw new AppError('invalid', '_summary must be one of true, false, text, data, count');
  }
  const elements = elementsRaw
    .flatMap((e) => e.split(','))
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const e of elements) {
    if (!ELEMENT.test(e)) throw new AppError('invalid', '_elements must list element names');
  }
  return {
    ...(summary !== null && summary !== 'false' ? { summary: summary as SummaryMode | 'count' } : {}),
    ...(elements.length > 0 ? { elements } : {}),
  };
}

/** Applies a projection to one resource; `_summary` wins over `_elements` when both are given. */
export function applyProjection(
  resource: Resource,
  projection: Projection,
  projector: ResourceProjector,
): Resource {
  const { summary, elements } = projection;
  if (summary && summary !== 'count') return projector.summarize(resource, summary);
  if (elements && elements.length > 0) return projector.selectElements(resource, elements);
  return resource;
}
