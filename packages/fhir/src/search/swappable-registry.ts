import type { CompiledSearchParamRegistry } from './registry.ts';

/**
 * A registry whose definitions can be replaced at run time (after `$reindex` activates custom
 * SearchParameters) while every holder keeps the same object.
 */
export interface SwappableRegistry extends CompiledSearchParamRegistry {
  replace(next: CompiledSearchParamRegistry): void;
  /** Bumped on every replace, so caches keyed by registry can tell. */
  readonly generation: number;
}

export function createSwappableRegistry(initial: CompiledSearchParamRegistry): SwappableRegistry {
  let current = initial;
  let generation = 0;
  return {
    get: (type, code) => current.get(type, code),
    forType: (type) => current.forType(type),
    resourceTypes: () => current.resourceTypes(),
    evaluator: (type, def) => current.evaluator(type, def),
    compiledFor: (type) => current.compiledFor(type),
    componentEvaluator: (expression) => current.componentEvaluator(expression),
    replace(next) {
      current = next;
      generation++;
    },
    get generation() {
      return generation;
    },
  };
}
