/**
 * SMART App Launch 2.x scopes (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html).
 *
 * Resource scopes: `<context>/<ResourceType|*>.<permissions>[?query]` where context is `patient`,
 * `user` or `system`, and permissions are v2 `cruds` letters (a non-empty subsequence, in that order)
 * or v1 `read` / `write` / `*`. The v1 forms are read as their v2 equivalents (§ "Scopes for
 * requesting FHIR resources", SMART v1 → v2): `read` = `rs`, `write` = `cud`, `*` = `cruds`.
 *
 * Query restrictions (`patient/Observation.rs?category=laboratory`, SMART v2 "finer-grained
 * resource constraints") are parsed and kept in `query`, but not enforced by this module: a
 * restricted scope grants **nothing** in `scopeAllows` / `readableTypes` (fail closed rather than
 * widen it to the whole type). A client that needs them must request the unrestricted scope.
 */

export const SCOPE_CONTEXTS = ['patient', 'user', 'system'] as const;
export type ScopeContext = (typeof SCOPE_CONTEXTS)[number];

export const INTERACTIONS = ['c', 'r', 'u', 'd', 's'] as const;
/** create, read (read + vread + history of an instance), update, delete, search. */
export type Interaction = (typeof INTERACTIONS)[number];

export interface ResourceScope {
  readonly kind: 'resource';
  readonly raw: string;
  readonly context: ScopeContext;
  /** A FHIR resource type, or `*` for every type. */
  readonly resourceType: string;
  readonly interactions: ReadonlySet<Interaction>;
  /** 1 for `.read/.write/.*`, 2 for `.cruds` letters. */
  readonly version: 1 | 2;
  /** The `?param=value` restriction when present (not enforced: the scope then grants nothing). */
  readonly query?: string;
}

/** OpenID Connect and SMART launch scopes that carry no resource permission. */
export const LAUNCH_SCOPES = [
  'openid',
  'profile',
  'fhirUser',
  'launch',
  'launch/patient',
  'launch/encounter',
  'offline_access',
  'online_access',
] as const;
export type LaunchScope = (typeof LAUNCH_SCOPES)[number];

export type ParsedScope =
  | ResourceScope
  | { readonly kind: 'launch'; readonly raw: string; readonly name: LaunchScope }
  | { readonly kind: 'unknown'; readonly raw: string };

const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]{1,63})\.([a-z*]+)(?:\?(.+))?$/;
const V1: Readonly<Record<string, string>> = { read: 'rs', write: 'cud', '*': 'cruds' };

/** Parses one scope token. Malformed resource scopes become `unknown` (and grant nothing). */
export function parseScope(raw: string): ParsedScope {
  if ((LAUNCH_SCOPES as readonly string[]).includes(raw)) {
    return { kind: 'launch', raw, name: raw as LaunchScope };
  }
  const match = RESOURCE_SCOPE.exec(raw);
  if (!match) return { kind: 'unknown', raw };
  const [, context, resourceType, permissions, query] = match as unknown as [
    string,
    ScopeContext,
    string,
    string,
    string | undefined,
  ];
  const v1 = V1[permissions];
  const letters = v1 ?? permissions;
  if (!isOrderedSubsequence(letters)) return { kind: 'unknown', raw };
  return {
    kind: 'resource',
    raw,
    context,
    resourceType,
    interactions: new Set(letters as Iterable<Interaction>) as ReadonlySet<Interaction>,
    version: v1 ? 1 : 2,
    ...(query === undefined ? {} : { query }),
  };
}

/** `cruds` letters, each at most once, in that order (SMART v2 requires the order). */
function isOrderedSubsequence(letters: string): boolean {
  if (letters.length === 0) return false;
  let at = -1;
  for (const letter of letters) {
    const index = INTERACTIONS.indexOf(letter as Interaction);
    if (index <= at) return false;
    at = index;
  }
  return true;
}

/** A parsed scope set (from a token's space-separated `scope` or a list). */
export interface ScopeSet {
  readonly resources: readonly ResourceScope[];
  readonly launch: ReadonlySet<LaunchScope>;
  readonly unknown: readonly string[];
}

export function parseScopes(scopes: string | readonly string[]): ScopeSet {
  const list = typeof scopes === 'string' ? scopes.split(/\s+/) : scopes;
  const resources: ResourceScope[] = [];
  const launch = new Set<LaunchScope>();
  const unknown: string[] = [];
  for (const raw of list) {
    if (!raw) continue;
    const parsed = parseScope(raw);
    if (parsed.kind === 'resource') resources.push(parsed);
    else if (parsed.kind === 'launch') launch.add(parsed.name);
    else unknown.push(raw);
  }
  return { resources, launch, unknown };
}

export interface ScopeRequest {
  readonly context: ScopeContext;
  readonly resourceType: string;
  readonly interaction: Interaction;
}

/** Whether any unrestricted resource scope of `context` grants `interaction` on `resourceType`. */
export function scopeAllows(scopes: ScopeSet | string | readonly string[], request: ScopeRequest): boolean {
  const set = isScopeSet(scopes) ? scopes : parseScopes(scopes);
  return set.resources.some(
    (s) =>
      s.query === undefined &&
      s.context === request.context &&
      (s.resourceType === '*' || s.resourceType === request.resourceType) &&
      s.interactions.has(request.interaction),
  );
}

/**
 * Which resource types the scopes let `context` use with `interaction` (default `r`, read):
 * `'*'` for every type, else the explicit list (possibly empty). For compiling access into SQL.
 */
export function permittedTypes(
  scopes: ScopeSet | string | readonly string[],
  context: ScopeContext,
  interaction: Interaction = 'r',
): '*' | ReadonlySet<string> {
  const set = isScopeSet(scopes) ? scopes : parseScopes(scopes);
  const types = new Set<string>();
  for (const s of set.resources) {
    if (s.query !== undefined || s.context !== context || !s.interactions.has(interaction)) continue;
    if (s.resourceType === '*') return '*';
    types.add(s.resourceType);
  }
  return types;
}

/** The types a scope set can read (`r`) in `context` — shorthand the access-control code uses. */
export function readableTypes(
  scopes: ScopeSet | string | readonly string[],
  context: ScopeContext,
): '*' | ReadonlySet<string> {
  return permittedTypes(scopes, context, 'r');
}

/**
 * Whether `requested` is within what a client was registered for (`allowed`): launch scopes by
 * name, resource scopes when one allowed scope has the same context, covers the type and every
 * requested permission, and carries no narrower query. Used to filter what a client may ask for.
 */
export function scopeWithin(requested: string, allowed: ScopeSet): boolean {
  const parsed = parseScope(requested);
  if (parsed.kind === 'launch') return allowed.launch.has(parsed.name);
  if (parsed.kind === 'unknown') return false;
  return allowed.resources.some(
    (a) =>
      a.context === parsed.context &&
      (a.resourceType === '*' || a.resourceType === parsed.resourceType) &&
      [...parsed.interactions].every((i) => a.interactions.has(i)) &&
      (a.query === undefined || a.query === parsed.query),
  );
}

function isScopeSet(value: unknown): value is ScopeSet {
  return typeof value === 'object' && value !== null && 'resources' in value && 'launch' in value;
}
