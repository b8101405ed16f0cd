/**
 * Reference rewriting for transactions (http://hl7.org/fhir/R4/bundle.html#references,
 * http://hl7.org/fhir/R4/http.html#trules): every `Reference.reference` that names an entry's fullUrl
 * becomes `Type/id`; so does any other string equal to such a fullUrl (uri elements, extensions), and
 * `href`/`src` links to it in the narrative. One walk over the resource, mutating it in place.
 */

/** A conditional reference (`Patient?identifier=x|y`) found during the walk, resolved by the caller. */
export interface ConditionalReference {
  readonly holder: Record<string, unknown>;
  readonly reference: string;
}

export interface RewriteResult {
  readonly conditional: ConditionalReference[];
  /** `urn:uuid:`/`urn:oid:` references that name no entry of the bundle. */
  readonly unresolved: string[];
}

const CONDITIONAL = /^[A-Z][A-Za-z]+\?./;
const URN = /^urn:(uuid|oid):/;
const NARRATIVE_LINK = /((?:href|src)\s*=\s*")(urn:(?:uuid|oid):[^"]+)(")/g;

export function rewriteReferences(resource: unknown, ids: ReadonlyMap<string, string>): RewriteResult {
  const result: RewriteResult = { conditional: [], unresolved: [] };
  walk(resource, ids, result);
  return result;
}

function walk(node: unknown, ids: ReadonlyMap<string, string>, result: RewriteResult): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i];
      if (typeof item === 'string') {
        const mapped = ids.get(item);
        if (mapped !== undefined) node[i] = mapped;
      } else if (item !== null && typeof item === 'object') walk(item, ids, result);
    }
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (typeof value === 'string') rewriteString(obj, key, value, ids, result);
    else if (value !== null && typeof value === 'object') walk(value, ids, result);
  }
}

function rewriteString(
  obj: Record<string, unknown>,
  key: string,
  value: string,
  ids: ReadonlyMap<string, string>,
  result: RewriteResult,
): void {
  const mapped = ids.get(value);
  if (mapped !== undefined) {
    obj[key] = mapped;
    return;
  }
  if (key === 'reference') {
    if (URN.test(value)) result.unresolved.push(value);
    else if (CONDITIONAL.test(value)) result.conditional.push({ holder: obj, reference: value });
    return;
  }
  if (key === 'div' && value.includes('urn:')) {
    obj[key] = value.replace(NARRATIVE_LINK, (whole, pre: string, urn: string, post: string) => {
      const target = ids.get(urn);
      return target === undefined ? whole : `${pre}${target}${post}`;
    });
  }
}
