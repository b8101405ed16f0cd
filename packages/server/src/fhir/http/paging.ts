import { AppError } from '@yiyun/fhir';
import type { FhirConfig } from '../types.ts';

/** `_count`, clamped to the configured maximum (http://hl7.org/fhir/R4/search.html#count). */
export function parseCount(query: URLSearchParams, config: FhirConfig): number {
  const raw = query.get('_count');
  if (raw === null) return config.defaultCount;
  return Math.min(nonNegativeInt(raw, '_count'), config.maxCount);
}

export function parseOffset(query: URLSearchParams): number {
  const raw = query.get('_offset');
  return raw === null ? 0 : nonNegativeInt(raw, '_offset');
}

function nonNegativeInt(raw: string, name: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw new AppError('invalid', `${name} must be a non-negative integer`);
  return Number(raw);
}

const INSTANT = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** A FHIR date/instant parameter such as `_since`, as an ISO instant; undefined when absent. */
export function parseInstantParam(query: URLSearchParams, name: string): string | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const date = INSTANT.test(raw) ? new Date(raw.length === 4 ? `${raw}-01-01` : raw) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new AppError('invalid', `${name} must be a FHIR instant`);
  return date.toISOString();
}
