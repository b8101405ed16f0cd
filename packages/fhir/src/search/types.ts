/**
 * The search model shared by the FHIR logic (extraction, parsing) and the store (SQL compilation).
 * FHIR R4 search: http://hl7.org/fhir/R4/search.html
 */

export type SearchParamType =
  | 'number'
  | 'date'
  | 'string'
  | 'token'
  | 'reference'
  | 'composite'
  | 'quantity'
  | 'uri'
  | 'special';

export interface CompositeComponentDef {
  /** The component's own SearchParameter (resolved from `component.definition`). */
  readonly param: SearchParamDef;
  /** FHIRPath relative to the composite's focus element. */
  readonly expression: string;
}

/** One SearchParameter as it applies to one resource type. */
export interface SearchParamDef {
  /** The code used in URLs, e.g. `birthdate`, `_lastUpdated`. */
  readonly code: string;
  /** Canonical URL of the SearchParameter resource. */
  readonly url: string;
  readonly type: SearchParamType;
  /** The resource type this definition is registered for (`Resource` for the base parameters). */
  readonly resourceType: string;
  /** FHIRPath expression (R4 `expression`); absent for `_id`, `_lastUpdated`, specials. */
  readonly expression?: string;
  /** Target resource types of a reference parameter. */
  readonly target?: readonly string[];
  readonly components?: readonly CompositeComponentDef[];
  /** True for custom SearchParameter resources stored on this server. */
  readonly isCustom?: boolean;
}

/** All SearchParameters known to the server, by resource type and code. */
export interface SearchParamRegistry {
  /** The definition for `code` on `resourceType`, including base `Resource`/`DomainResource` ones. */
  get(resourceType: string, code: string): SearchParamDef | undefined;
  /** All definitions that apply to `resourceType` (its own plus the base ones). */
  forType(resourceType: string): readonly SearchParamDef[];
  /** All resource types known to the registry. */
  resourceTypes(): readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Index values: what extraction produces from a resource, what the store writes as index rows.
// ---------------------------------------------------------------------------------------------

export interface TokenValue {
  readonly kind: 'token';
  readonly system: string | null;
  readonly code: string | null;
  /** Normalised display / CodeableConcept.text / Identifier.type.text, for `:text`. */
  readonly text?: string | null;
  /** Identifier.type coding, for `:of-type`. */
  readonly typeSystem?: string | null;
  readonly typeCode?: string | null;
}

export interface StringValue {
  readonly kind: 'string';
  /** Normalised for the default and `:contains` match: lower case, accents removed, spaces folded. */
  readonly normalized: string;
  /** The value as written, for `:exact`. */
  readonly exact: string;
}

/** Dates and periods as an inclusive-exclusive range of instants (ISO 8601 UTC strings). */
export interface DateValue {
  readonly kind: 'date';
  readonly low: string | null;
  readonly high: string | null;
}

export interface NumberValue {
  readonly kind: 'number';
  /** Decimal as written (string to keep precision), with its implicit precision range. */
  readonly value: string;
  readonly low: string;
  readonly high: string;
}

export interface QuantityValue {
  readonly kind: 'quantity';
  readonly value: string;
  readonly low: string;
  readonly high: string;
  readonly system: string | null;
  readonly code: string | null;
  readonly unit: string | null;
}

export interface ReferenceValue {
  readonly kind: 'reference';
  /** For relative / resolvable references: target type and id (version stripped). */
  readonly targetType: string | null;
  readonly targetId: string | null;
  /** Absolute URL or canonical (version kept as `|x` suffix stripped into the value). */
  readonly url: string | null;
  /** Reference.identifier, for `:identifier`. */
  readonly identifierSystem?: string | null;
  readonly identifierValue?: string | null;
}

export interface UriValue {
  readonly kind: 'uri';
  readonly value: string;
}

export interface CompositeValue {
  readonly kind: 'composite';
  /** One value per component, in the order of `SearchParamDef.components`. */
  readonly components: readonly IndexValue[];
}

export type IndexValue =
  | TokenValue
  | StringValue
  | DateValue
  | NumberValue
  | QuantityValue
  | ReferenceValue
  | UriValue
  | CompositeValue;

/** One index entry: the parameter code (on the resource's type) and one value. */
export interface IndexEntry {
  readonly param: string;
  readonly value: IndexValue;
}

// ---------------------------------------------------------------------------------------------
// Parsed search requests: what the parser produces from a URL, what the store compiles to SQL.
// ---------------------------------------------------------------------------------------------

export type Prefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap';

export type Modifier =
  | 'exact'
  | 'contains'
  | 'missing'
  | 'not'
  | 'text'
  | 'identifier'
  | 'of-type'
  | 'above'
  | 'below'
  | 'in'
  | 'not-in';

/** A parsed search value, typed by the parameter it belongs to. */
export type SearchValue =
  | {
      readonly kind: 'token';
      /** undefined: any system; null: no system (`|code`). */
      readonly system?: string | null;
      /** undefined: any code (`system|`). For `:of-type` this is the identifier value. */
      readonly code?: string | null;
      readonly text?: string;
      /** `:of-type` only: the Identifier.type coding (`typeSystem|typeCode|value`). */
      readonly typeSystem?: string;
      readonly typeCode?: string;
    }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'date'; readonly prefix: Prefix; readonly low: string; readonly high: string }
  | {
      readonly kind: 'number';
      readonly prefix: Prefix;
      readonly value: string;
      readonly low: string;
      readonly high: string;
    }
  | {
      readonly kind: 'quantity';
      readonly prefix: Prefix;
      readonly value: string;
      readonly low: string;
      readonly high: string;
      readonly system: string | null;
      readonly code: string | null;
    }
  | {
      readonly kind: 'reference';
      readonly targetType: string | null;
      readonly targetId: string | null;
      readonly url: string | null;
    }
  | { readonly kind: 'uri'; readonly value: string }
  | { readonly kind: 'composite'; readonly components: readonly SearchValue[] }
  | { readonly kind: 'missing'; readonly missing: boolean };

export type Filter =
  /** `param[:modifier]=v1,v2`: the values are OR-ed. */
  | {
      readonly kind: 'param';
      readonly param: SearchParamDef;
      readonly modifier?: Modifier;
      readonly values: readonly SearchValue[];
    }
  /** `subject:Patient.name=x`: follow reference `param` to `targetType`, then apply `next` there. */
  | {
      readonly kind: 'chain';
      readonly param: SearchParamDef;
      readonly targetType: string;
      readonly next: Filter;
    }
  /** `_has:Observation:patient:code=x`: some `targetType` whose `referenceParam` points here matches `next`. */
  | {
      readonly kind: 'has';
      readonly targetType: string;
      readonly referenceParam: SearchParamDef;
      readonly next: Filter;
    }
  /** `_id=a,b` */
  | { readonly kind: 'id'; readonly ids: readonly string[]; readonly not?: boolean }
  /** `_lastUpdated=ge2020` (values OR-ed) */
  | { readonly kind: 'lastUpdated'; readonly values: readonly Extract<SearchValue, { kind: 'date' }>[] }
  /** `_list=id`: members of a List */
  | { readonly kind: 'list'; readonly listId: string };

export interface SortKey {
  /** A search parameter code, or `_id` / `_lastUpdated`. */
  readonly param: string;
  readonly def?: SearchParamDef;
  readonly descending: boolean;
}

export interface IncludeSpec {
  /** `_include=Observation:subject:Patient`: source type, reference param, optional target type. */
  readonly sourceType: string;
  /** `*` for all reference params. */
  readonly param: string;
  readonly targetType?: string;
  readonly iterate: boolean;
}

export type TotalMode = 'none' | 'estimate' | 'accurate';

export interface SearchRequest {
  /** The type searched; `null` for a system-level search (then `types` may narrow it). */
  readonly resourceType: string | null;
  readonly types?: readonly string[];
  /** AND-ed filters. */
  readonly filters: readonly Filter[];
  readonly sort: readonly SortKey[];
  readonly count: number;
  readonly offset: number;
  readonly total: TotalMode;
  readonly include: readonly IncludeSpec[];
  readonly revinclude: readonly IncludeSpec[];
  readonly summary?: 'true' | 'text' | 'data' | 'count' | 'false';
  readonly elements?: readonly string[];
  /** `Patient/123/Observation`: restrict to the compartment of that resource. */
  readonly compartment?: {
    readonly type: string;
    readonly id: string;
    /**
     * The focal resources when `id` stands for several: a regional person's Patient records, each
     * institution's own (set by the resident registry, never parsed from a URL).
     */
    readonly members?: readonly string[];
  };
  /** Parameters that were not understood (ignored with a warning unless handling=strict). */
  readonly unknown: readonly string[];
}
