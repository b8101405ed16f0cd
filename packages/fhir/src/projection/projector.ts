import type { Coding, Resource } from '@medplum/fhirtypes';
import { AppError } from '../errors/index.ts';
import { createFhirSchema, type FhirSchema, type PropertySpec, type TypeSpec } from '../validation/index.ts';

/** `_summary` modes that change the resource (`count` and `false` are the caller's business). */
export type SummaryMode = 'true' | 'text' | 'data';

/** `_summary` and `_elements` projections (http://hl7.org/fhir/R4/search.html#summary, #elements). */
export interface Projector {
  summarize(resource: Resource, mode: SummaryMode): Resource;
  selectElements(resource: Resource, elements: readonly string[]): Resource;
}

export interface ProjectorOptions {
  /** Share one compiled schema between the validator and the projector. */
  readonly schema?: FhirSchema;
}

/** The tag a server puts on a resource it returns incomplete, so nobody writes it back as is. */
export const SUBSETTED_TAG: Readonly<Coding> = Object.freeze({
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
  display: 'subsetted',
});

type Json = Record<string, unknown>;
type Keep = (key: string, spec: PropertySpec | undefined) => boolean;

const ALWAYS_KEPT = new Set(['resourceType', 'id', 'meta']);

/** The property a JSON key describes; `_x` (primitive extensions) follows `x`. */
function specOf(type: TypeSpec, key: string): PropertySpec | undefined {
  return type.properties.get(key.startsWith('_') ? key.slice(1) : key);
}

function withSubsettedTag(resource: Json): Json {
  const meta = (resource.meta ?? {}) as Json;
  const tags = Array.isArray(meta.tag) ? (meta.tag as Coding[]) : [];
  if (tags.some((t) => t.system === SUBSETTED_TAG.system && t.code === SUBSETTED_TAG.code)) return resource;
  return { ...resource, meta: { ...meta, tag: [...tags, { ...SUBSETTED_TAG }] } };
}

interface Projection {
  value: unknown;
  removed: boolean;
}

/** Copies the keys `keep` accepts; `descend` may further project a kept value. */
function project(
  obj: Json,
  type: TypeSpec,
  keep: Keep,
  descend?: (spec: PropertySpec, value: unknown) => Projection,
): Projection {
  const value: Json = {};
  let removed = false;
  for (const key of Object.keys(obj)) {
    const spec = specOf(type, key);
    if (!ALWAYS_KEPT.has(key) && !keep(key, spec)) {
      removed = true;
      continue;
    }
    if (descend && spec && !key.startsWith('_')) {
      const child = descend(spec, obj[key]);
      value[key] = child.value;
      removed ||= child.removed;
    } else {
      value[key] = obj[key];
    }
  }
  return { value, removed };
}

/** Builds the projector; precomputes nothing beyond the shared schema, which is the slow part. */
export function createProjector(options: ProjectorOptions = {}): Projector {
  // Only the compiled types are kept (not the definitions they were compiled from).
  const { types } = options.schema ?? createFhirSchema();

  const typeOf = (resource: Resource): TypeSpec => {
    const type = types.get(resource.resourceType);
    if (!type?.isResource)
      throw new AppError('invalid', `Unknown resourceType "${String(resource.resourceType)}"`);
    return type;
  };

  const summaryKeep: Keep = (_key, spec) => spec !== undefined && (spec.isSummary || spec.isMandatory);

  // Backbone elements are part of the resource definition: their own isSummary flags apply.
  // Datatypes (HumanName, Identifier …) are kept whole.
  const summaryDescend = (spec: PropertySpec, value: unknown): Projection => {
    const backbone = spec.childType?.includes('.') ? types.get(spec.childType) : undefined;
    if (!backbone) return { value, removed: false };
    const one = (v: unknown): Projection =>
      typeof v === 'object' && v !== null
        ? project(v as Json, backbone, summaryKeep, summaryDescend)
        : { value: v, removed: false };
    if (!Array.isArray(value)) return one(value);
    const parts = value.map(one);
    return { value: parts.map((p) => p.value), removed: parts.some((p) => p.removed) };
  };

  const finish = (p: Projection): Resource => {
    const value = p.value as Json;
    return (p.removed ? withSubsettedTag(value) : value) as unknown as Resource;
  };

  return {
    summarize(resource, mode) {
      const type = typeOf(resource);
      const json = resource as unknown as Json;
      if (mode === 'true') return finish(project(json, type, summaryKeep, summaryDescend));
      if (mode === 'text') {
        return finish(project(json, type, (key, spec) => key === 'text' || spec?.isMandatory === true));
      }
      return finish(project(json, type, (key) => key !== 'text'));
    },
    selectElements(resource, elements) {
      const type = typeOf(resource);
      // _elements names base elements only; `name.family` is widened to `name`.
      const wanted = new Set(
        elements.map((e) => e.trim().split('.')[0] as string).filter((e) => e.length > 0),
      );
      const keep: Keep = (key, spec) =>
        spec !== undefined
          ? wanted.has(spec.key) || wanted.has(spec.element) || spec.isMandatory
          : wanted.has(key);
      return finish(project(resource as unknown as Json, type, keep));
    },
  };
}
