import type { AccessScope, AddParam, RestrictedScope } from './scope.ts';

/** Patient ids of the same regional person as `${patient}` (one index probe each way). */
const samePerson = (patient: string, alias: string) =>
  `select ${alias}b.patient_id from patient_person ${alias}a
   join patient_person ${alias}b on ${alias}b.person_id = ${alias}a.person_id
   where ${alias}a.patient_id = ${patient}`;

function careClause(alias: string, scope: RestrictedScope, add: AddParam): string | undefined {
  const care = scope.careRelationship;
  if (!care) return undefined;
  const org = add(care.organization, 'text');
  const since = add(care.since.toISOString(), 'timestamptz');
  const share = add(care.defaultShare, 'bool');
  const a = `${alias}_c`;
  // The resident's latest consent decides (any institution's record of the same person).
  const consent = `(select cd.share, cd.permit_labels from patient_person cp
      join consent_directive cd on cd.patient_id = cp.patient_id
      where cp.person_id = ${a}m.person_id order by cd.date desc limit 1)`;
  return `exists (select 1 from patient_person ${a}m
    left join lateral ${consent} ${a}s on true
    where ${a}m.patient_id = ${alias}.patient_id
      and coalesce(${a}s.share, ${share})
      and (${alias}.labels is null or ${alias}.labels <@ coalesce(${a}s.permit_labels, '{}'::text[]))
      and exists (select 1 from patient_person ${a}p
        join care_relation ${a}r on ${a}r.patient_id = ${a}p.patient_id
        where ${a}p.person_id = ${a}m.person_id and ${a}r.organization = ${org} and ${a}r.ends_at > ${since}))`;
}

function breakGlassClause(alias: string, scope: RestrictedScope, add: AddParam): string | undefined {
  if (!scope.breakGlassAccount) return undefined;
  const account = add(scope.breakGlassAccount, 'text');
  return `exists (select 1 from patient_person ${alias}_gm
    join break_glass ${alias}_g on ${alias}_g.person_id = ${alias}_gm.person_id
    where ${alias}_gm.patient_id = ${alias}.patient_id and ${alias}_g.account = ${account}
      and ${alias}_g.expires_at > now())`;
}

/**
 * The access predicate over the `resource` row `alias`, or undefined when everything is visible.
 * A hidden resource simply does not match: reads find nothing (404) and totals never count it.
 */
export function accessPredicate(
  scope: AccessScope | undefined,
  alias: string,
  add: AddParam,
): string | undefined {
  if (!scope || scope.kind === 'all') return undefined;
  const all: string[] = [];
  if (scope.types) all.push(`${alias}.type = any(${add(scope.types, 'text[]')})`);
  const any: string[] = scope.everyRecord ? ['true'] : [];
  if (scope.nonPatientData) any.push(`${alias}.patient_id is null`);
  if (scope.person) {
    const person = `${alias}.patient_id in (${samePerson(add(scope.person, 'text'), `${alias}_p`)})`;
    all.push(scope.nonPatientData ? `(${alias}.patient_id is null or ${person})` : person);
    if (scope.personRecords) any.push('true');
  }
  if (!any.includes('true')) {
    if (scope.custodian) any.push(`${alias}.custodian = ${add(scope.custodian, 'text')}`);
    const care = careClause(alias, scope, add);
    if (care) any.push(care);
    const glass = breakGlassClause(alias, scope, add);
    if (glass) any.push(glass);
  }
  all.push(any.length ? `(${any.join(' or ')})` : 'false');
  return all.join(' and ');
}

/** `add` over a plain parameter array (for queries that do not use SqlParams). */
export function arrayParams(params: unknown[]): AddParam {
  return (value, cast) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
}
