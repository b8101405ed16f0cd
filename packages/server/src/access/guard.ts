import { type Authorization, IDENTIFYING_PARAMS, isClinicalType } from '@yiyun/auth';
import { AppError } from '@yiyun/fhir';
import type { FhirRequest } from '../fhir/types.ts';
import type { Classified } from './interaction.ts';

/** Operations only the platform operator (platform admin, wildcard system client) may run. */
const OPERATOR_OPERATIONS = new Set(['import', 'reindex', 'export']);

function isCountOnly(query: URLSearchParams): boolean {
  return query.get('_summary') === 'count' || query.get('_count') === '0';
}

/**
 * Public-health analysts see counts only: a search must ask for `_summary=count` and may not name
 * a person (`identifier`, names, phone, address, birth date, a patient reference).
 */
function assertAggregate(req: FhirRequest, c: Classified): void {
  const clinical = c.types.some((t) => t === '*' || isClinicalType(t));
  if (!clinical) return;
  if (c.interaction !== 's' || !isCountOnly(req.query))
    throw new AppError('forbidden', 'Analysts may run aggregate queries only (_summary=count)');
  for (const key of req.query.keys()) {
    const code = key.split(/[:.]/)[0] ?? key;
    if (IDENTIFYING_PARAMS.has(code) || key.startsWith('_has'))
      throw new AppError('forbidden', `Aggregate queries may not filter by ${code}`);
  }
}

/**
 * Refuses an interaction the caller's role and SMART scopes do not grant (403: the type is not
 * secret). Which records they may touch is decided in SQL by the repository's access scope.
 */
export function assertAllowed(req: FhirRequest, c: Classified, authz: Authorization): void {
  if (c.interaction === 'none') return;
  if (c.operation && OPERATOR_OPERATIONS.has(c.operation) && !authz.isPlatformOperator)
    throw new AppError('forbidden', `$${c.operation} is for the platform operator`);
  if (authz.aggregateOnly) assertAggregate(req, c);
  for (const type of c.types) {
    if (type === '*') continue;
    if (!authz.allows(c.interaction, type))
      throw new AppError('forbidden', `Your role and scopes do not allow this on ${type}`);
  }
  // Creating through a conditional update needs create too.
  if (c.kind === 'update' && !c.reference && c.types[0] && !authz.allows('c', c.types[0]))
    throw new AppError('forbidden', `Your role and scopes do not allow creating ${c.types[0]}`);
}
