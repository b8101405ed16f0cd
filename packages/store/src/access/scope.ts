/**
 * Who may see what, as data: built by the auth package from a caller's Principal and compiled by
 * the store into one SQL predicate over `resource`, so that reads, searches (totals, paging,
 * includes, chains, `_has`), history, `$everything` and export all obey it.
 * docs/decisions/0004-access-control.md explains the model.
 */
export type AccessScope = { readonly kind: 'all' } | RestrictedScope;

export interface RestrictedScope {
  readonly kind: 'restricted';
  /** Only these resource types are visible (SMART scopes × role); absent = every type. */
  readonly types?: readonly string[];
  /**
   * Only the records of this Patient's regional person (a resident's own record, or a SMART
   * `patient/` launch context). Non-patient data stays visible when `nonPatientData` allows it.
   */
  readonly person?: string;
  /** The records of `person` are visible in full (the resident's own record). */
  readonly personRecords?: boolean;
  /** Every record (of `types`, of `person`) is visible: a platform client narrowed by SMART scopes. */
  readonly everyRecord?: boolean;
  /** Resources about no patient (institutions, staff, terminology) are visible. */
  readonly nonPatientData: boolean;
  /** Records held by this institution (custodian) are visible in full. */
  readonly custodian?: string;
  /**
   * The institution whose records the caller may change (update, patch, delete); visible records
   * of other institutions are `forbidden`. Absent: any visible record (a resident's own Consent).
   */
  readonly writeCustodian?: string;
  /**
   * Other institutions' records of residents with whom `organization` has a care relationship
   * ending after `since`, if the resident shares regionally (their latest Consent, else
   * `defaultShare`) and, for sensitive records, permitted every label the record carries.
   */
  readonly careRelationship?: {
    readonly organization: string;
    readonly since: Date;
    readonly defaultShare: boolean;
  };
  /** Residents for whom this account holds an unexpired break-the-glass grant (all their records). */
  readonly breakGlassAccount?: string;
}

/** Adds a bind parameter and returns its cast placeholder (`$3::text`). */
export type AddParam = (value: unknown, cast: string) => string;
