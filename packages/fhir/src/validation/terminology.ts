import type { CodeSystem, CodeSystemConcept, ValueSet, ValueSetComposeInclude } from '@medplum/fhirtypes';

/** An expanded value set: codes per code system. */
export interface ExpandedValueSet {
  readonly url: string;
  /** system → codes */
  readonly bySystem: ReadonlyMap<string, ReadonlySet<string>>;
  /** every code, whatever its system (for `code` elements, which carry no system) */
  readonly codes: ReadonlySet<string>;
}

/** Expands the value sets shipped with the R4 definitions. Built once; results are memoised. */
export interface Terminology {
  /** The expansion, or undefined when the value set cannot be expanded from local content. */
  expand(url: string): ExpandedValueSet | undefined;
  /** Value sets asked for that could not be expanded, with the reason. */
  unexpandable(): ReadonlyMap<string, string>;
}

interface CodeSystemIndex {
  /** code → codes directly beneath it (is-a children) */
  readonly children: Map<string, string[]>;
  readonly all: Set<string>;
}

type Codes = Map<string, Set<string>>;

class Unexpandable extends Error {}

/** Strips a `|version` suffix from a canonical URL. */
export function canonicalUrl(url: string): string {
  const bar = url.indexOf('|');
  return bar < 0 ? url : url.slice(0, bar);
}

function indexCodeSystem(cs: CodeSystem): CodeSystemIndex {
  const children = new Map<string, string[]>();
  const all = new Set<string>();
  const visit = (concepts: CodeSystemConcept[] | undefined, parent: string | undefined): void => {
    for (const c of concepts ?? []) {
      all.add(c.code);
      if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), c.code]);
      for (const p of c.property ?? []) {
        // v3 code systems express hierarchy as a `subsumedBy` property as well as by nesting.
        if (p.code === 'subsumedBy' && p.valueCode) {
          children.set(p.valueCode, [...(children.get(p.valueCode) ?? []), c.code]);
        }
      }
      visit(c.concept, c.code);
    }
  };
  visit(cs.concept, undefined);
  return { children, all };
}

function descendants(index: CodeSystemIndex, root: string, includeSelf: boolean): Set<string> {
  const out = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const code = stack.pop() as string;
    if (out.has(code)) continue;
    out.add(code);
    stack.push(...(index.children.get(code) ?? []));
  }
  if (!includeSelf) out.delete(root);
  return out;
}

function addAll(target: Codes, system: string, codes: Iterable<string>): void {
  let set = target.get(system);
  if (!set) {
    set = new Set<string>();
    target.set(system, set);
  }
  for (const c of codes) set.add(c);
}

function intersect(a: Codes, b: Codes): Codes {
  const out: Codes = new Map();
  for (const [system, codes] of a) {
    const other = b.get(system);
    if (other)
      addAll(
        out,
        system,
        [...codes].filter((c) => other.has(c)),
      );
  }
  return out;
}

/** Expands value sets from local content; every expansion and code-system index is computed once. */
class LocalExpander {
  private readonly valueSets = new Map<string, ValueSet>();
  private readonly codeSystems = new Map<string, CodeSystem>();
  private readonly csIndexes = new Map<string, CodeSystemIndex>();
  private readonly expanded = new Map<string, Codes>();
  private readonly inProgress = new Set<string>();

  constructor(resources: readonly (ValueSet | CodeSystem)[]) {
    for (const r of resources) {
      if (!r.url) continue;
      if (r.resourceType === 'ValueSet') this.valueSets.set(r.url, r);
      else this.codeSystems.set(r.url, r);
    }
  }

  expand(url: string): Codes {
    const done = this.expanded.get(url);
    if (done) return done;
    const vs = this.valueSets.get(url);
    if (!vs) throw new Unexpandable(`value set ${url} is not available locally`);
    if (this.inProgress.has(url)) throw new Unexpandable(`value set ${url} includes itself`);
    this.inProgress.add(url);
    try {
      const out: Codes = new Map();
      for (const inc of vs.compose?.include ?? []) {
        for (const [system, codes] of this.includePart(inc)) addAll(out, system, codes);
      }
      for (const exc of vs.compose?.exclude ?? []) {
        for (const [system, codes] of this.includePart(exc))
          for (const c of codes) out.get(system)?.delete(c);
      }
      if (!vs.compose) {
        if (!vs.expansion) throw new Unexpandable(`value set ${url} has neither compose nor expansion`);
        for (const c of vs.expansion.contains ?? []) if (c.system && c.code) addAll(out, c.system, [c.code]);
      }
      this.expanded.set(url, out);
      return out;
    } finally {
      this.inProgress.delete(url);
    }
  }

  private codeSystemIndex(system: string): CodeSystemIndex {
    const cached = this.csIndexes.get(system);
    if (cached) return cached;
    const cs = this.codeSystems.get(system);
    if (!cs) throw new Unexpandable(`code system ${system} is not available locally`);
    if (cs.content !== 'complete')
      throw new Unexpandable(`code system ${system} has content '${cs.content}'`);
    const index = indexCodeSystem(cs);
    this.csIndexes.set(system, index);
    return index;
  }

  private systemPart(inc: ValueSetComposeInclude): Codes {
    const system = inc.system as string;
    const out: Codes = new Map();
    if (inc.concept) {
      addAll(
        out,
        system,
        inc.concept.map((c) => c.code),
      );
      return out;
    }
    const index = this.codeSystemIndex(system);
    let codes: Set<string> = index.all;
    for (const f of inc.filter ?? []) {
      if (f.property !== 'concept' || (f.op !== 'is-a' && f.op !== 'descendent-of')) {
        throw new Unexpandable(`filter ${f.property} ${f.op} on ${system} is not supported`);
      }
      const matched = descendants(index, f.value, f.op === 'is-a');
      codes = new Set([...codes].filter((c) => matched.has(c)));
    }
    addAll(out, system, codes);
    return out;
  }

  private includePart(inc: ValueSetComposeInclude): Codes {
    let result: Codes | undefined = inc.system ? this.systemPart(inc) : undefined;
    for (const vs of inc.valueSet ?? []) {
      const imported = this.expand(canonicalUrl(vs));
      result = result ? intersect(result, imported) : imported;
    }
    if (!result) throw new Unexpandable('include has neither system nor valueSet');
    return result;
  }
}

/** Builds a terminology service over local ValueSet and CodeSystem resources. */
export function createTerminology(resources: readonly (ValueSet | CodeSystem)[]): Terminology {
  const expander = new LocalExpander(resources);
  const failures = new Map<string, string>();
  return {
    expand(rawUrl) {
      const url = canonicalUrl(rawUrl);
      if (failures.has(url)) return undefined;
      try {
        const bySystem = expander.expand(url);
        const codes = new Set<string>();
        for (const set of bySystem.values()) for (const c of set) codes.add(c);
        return { url, bySystem, codes };
      } catch (err) {
        if (!(err instanceof Unexpandable)) throw err;
        failures.set(url, err.message);
        return undefined;
      }
    },
    unexpandable: () => failures,
  };
}
