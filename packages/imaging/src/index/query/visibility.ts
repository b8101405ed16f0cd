import { type AccessScope, accessPredicate } from '@yiyun/store';
import type { AddParam } from './params.ts';

/** The row source every query reads studies through: the access predicate reads `<alias>.type`. */
export const STUDY_SOURCE = `(select 'ImagingStudy'::text as type, x.* from imaging_study x)`;

export interface Viewer {
  readonly scope: AccessScope;
  /** The caller's institution: grantee of tele-consultation shares. */
  readonly organization?: string;
}

/**
 * Which study rows (alias `alias`, read through STUDY_SOURCE) the caller may see: the FHIR access
 * predicate over the study's access facts — exactly what a FHIR search of the ImagingStudy would
 * allow (custodian, care relationship and consent, break-the-glass, the resident's own records) —
 * or an unexpired, unrevoked share of the study with the caller's institution (issue #6 scope 7).
 * A share widens only which institutions' studies are visible: the scope's resource types and
 * patient context (SMART `patient/` launch) still narrow it. Undefined: everything is visible.
 */
export function visibility(viewer: Viewer, alias: string, add: AddParam): string | undefined {
  const { scope, organization } = viewer;
  const predicate = accessPredicate(scope, alias, add);
  if (predicate === undefined) return undefined;
  if (scope.kind !== 'restricted' || !organization) return `(${predicate})`;
  const narrowing = accessPredicate(
    {
      kind: 'restricted',
      nonPatientData: false,
      everyRecord: true,
      ...(scope.types ? { types: scope.types } : {}),
      ...(scope.person ? { person: scope.person } : {}),
    },
    alias,
    add,
  );
  const share = `exists (select 1 from imaging_share sh where sh.study_uid = ${alias}.study_uid
    and sh.organization = ${add(organization, 'text')} and sh.revoked_at is null and sh.expires_at > now())`;
  return `((${predicate}) or (${narrowing ?? 'true'} and ${share}))`;
}
