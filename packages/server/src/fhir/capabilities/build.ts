import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceOperation,
  CapabilityStatementRestResourceSearchParam,
} from '@medplum/fhirtypes';
import type { SearchParamDef, SearchParamRegistry } from '@yiyun/fhir';
import type { OperationSpec } from '../operations/registry.ts';

export interface CapabilityInput {
  readonly baseUrl: string;
  readonly registry: SearchParamRegistry;
  readonly resourceTypes: readonly string[];
  readonly operations: readonly OperationSpec[];
  readonly software?: { readonly name: string; readonly version: string };
}

const TYPE_INTERACTIONS = [
  'read',
  'vread',
  'update',
  'patch',
  'delete',
  'history-instance',
  'history-type',
  'create',
  'search-type',
] as const;

/**
 * The CapabilityStatement (http://hl7.org/fhir/R4/capabilitystatement.html): exactly what this server
 * implements. JSON only; conditional delete with single-match semantics; no conditional read (If-None-Match
 * on read is honoured, If-Modified-Since is not).
 */
export function buildCapabilityStatement(input: CapabilityInput): CapabilityStatement {
  const revIncludes = revIncludesByTarget(input);
  const systemOps = input.operations.filter((op) => op.levels.includes('system'));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: input.software ?? { name: 'Yiyun', version: '0.1.0' },
    implementation: { description: 'Yiyun regional health cloud FHIR R4 server', url: input.baseUrl },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    patchFormat: ['application/json-patch+json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        documentation: 'FHIR R4 RESTful API. JSON only: XML is answered with 415.',
        resource: input.resourceTypes.map((type) => resourceEntry(type, input, revIncludes.get(type) ?? [])),
        interaction: [
          { code: 'transaction' },
          { code: 'batch' },
          { code: 'search-system' },
          { code: 'history-system' },
        ],
        searchParam: [{ name: '_type', type: 'token', documentation: 'Resource types to search' }],
        operation: systemOps.map(operationEntry),
      },
    ],
  };
}

function resourceEntry(
  type: string,
  input: CapabilityInput,
  revIncludes: string[],
): CapabilityStatementRestResource {
  const params = input.registry.forType(type);
  const refParams = params.filter((p) => p.type === 'reference');
  const ops = input.operations.filter(
    (op) => op.levels.some((l) => l !== 'system') && (!op.resourceTypes || op.resourceTypes.includes(type)),
  );
  return {
    type: type as CapabilityStatementRestResource['type'],
    interaction: TYPE_INTERACTIONS.map((code) => ({ code })),
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalRead: 'not-supported',
    conditionalUpdate: true,
    conditionalDelete: 'single',
    referencePolicy: ['literal'],
    searchInclude: ['*', ...refParams.map((p) => `${type}:${p.code}`)],
    searchRevInclude: revIncludes,
    searchParam: params.map(searchParamEntry),
    ...(ops.length > 0 ? { operation: ops.map(operationEntry) } : {}),
  };
}

function searchParamEntry(def: SearchParamDef): CapabilityStatementRestResourceSearchParam {
  return {
    name: def.code,
    definition: def.url,
    type: def.type,
    documentation: def.expression ? `FHIRPath: ${def.expression}` : `Search by ${def.code}`,
  };
}

function operationEntry(op: OperationSpec): CapabilityStatementRestResourceOperation {
  return { name: op.name, definition: op.definition.url ?? `OperationDefinition/${op.definition.id}` };
}

/** `Source:param` for every reference parameter that can point at each type. */
function revIncludesByTarget(input: CapabilityInput): Map<string, string[]> {
  const byTarget = new Map<string, string[]>();
  for (const source of input.resourceTypes) {
    for (const p of input.registry.forType(source)) {
      if (p.type !== 'reference') continue;
      for (const target of p.target ?? []) {
        const list = byTarget.get(target) ?? [];
        list.push(`${source}:${p.code}`);
        byTarget.set(target, list);
      }
    }
  }
  return byTarget;
}
