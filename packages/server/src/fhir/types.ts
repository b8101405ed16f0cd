import type { AuditEvent, CapabilityStatement, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { AuditPage, AuditQuery, Authorization } from '@yiyun/auth';
import type { SearchParamRegistry } from '@yiyun/fhir';
import type { FhirRepository } from '@yiyun/store';
import type { Logger } from 'pino';
import type { OperationRegistry } from './operations/registry.ts';

/** A FHIR interaction as the handlers see it: no web framework, only what the FHIR http spec talks about. */
export interface FhirRequest {
  /** Upper-case HTTP verb. */
  readonly method: string;
  /** Decoded path segments after the FHIR base, e.g. `['Patient', '123', '_history', '2']`. */
  readonly parts: readonly string[];
  readonly query: URLSearchParams;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The parsed JSON body, when there is one. */
  readonly body?: unknown;
  /** The media type of the body without parameters, e.g. `application/json-patch+json`. */
  readonly contentType?: string;
}

export interface FhirResponse {
  readonly status: number;
  readonly body?: Resource;
  /** Lower-case header names (`etag`, `location`, `last-modified`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** `meta.lastUpdated` of the resource written or read, for `Bundle.entry.response.lastUpdated`. */
  readonly lastUpdated?: string;
}

/** Structural contract of `createValidator()` from `@yiyun/fhir`. */
export interface ResourceValidator {
  validate(resource: unknown): OperationOutcomeIssue[];
  /** Throws `AppError('invalid')` carrying the issues when there are errors; returns warnings otherwise. */
  assertValid(resource: unknown): OperationOutcomeIssue[];
}

export type SummaryMode = 'true' | 'text' | 'data';

/** Structural contract of `createProjector()` from `@yiyun/fhir`. */
export interface ResourceProjector {
  summarize(resource: Resource, mode: SummaryMode): Resource;
  selectElements(resource: Resource, elements: readonly string[]): Resource;
}

export interface FhirConfig {
  /** Absolute base URL of the FHIR endpoint, e.g. `http://localhost:8080/fhir/R4` (no trailing slash). */
  readonly baseUrl: string;
  readonly maxBodyBytes: number;
  readonly defaultCount: number;
  readonly maxCount: number;
}

/** Everything a handler needs; built once per app, with `repo` swapped for a transaction's. */
export interface FhirContext {
  readonly repo: FhirRepository;
  readonly registry: SearchParamRegistry;
  readonly validator: ResourceValidator;
  readonly projector: ResourceProjector;
  readonly operations: OperationRegistry;
  readonly config: FhirConfig;
  readonly logger: Logger;
  /** Concrete resource types served (from the registry). */
  readonly resourceTypes: ReadonlySet<string>;
  /** Built once from the registry and operations; served by `/metadata`. */
  readonly capabilityStatement: CapabilityStatement;
  /** The caller's authorization, when the platform runs with access control (always, in production). */
  readonly authorization?: Authorization;
  readonly interceptor?: FhirInterceptor;
  /** The audit trail, served as `AuditEvent` (read-only). */
  readonly auditEvents?: AuditEventSource;
  /**
   * Directory data only (Organization, Practitioner …), whatever the caller's own scope: to name the
   * agents of the audit events a caller may read (a resident sees who accessed their record).
   */
  readonly directory?: FhirRepository;
}

/** The part of the audit log the FHIR endpoint serves. */
export interface AuditEventSource {
  search(query: AuditQuery): Promise<AuditPage>;
  read(id: string): Promise<AuditEvent | undefined>;
}

export type FhirHandler = (req: FhirRequest, ctx: FhirContext) => Promise<FhirResponse>;

/** Runs around every dispatched interaction (bundle entries too): access checks and audit. */
export type FhirInterceptor = (req: FhirRequest, next: () => Promise<FhirResponse>) => Promise<FhirResponse>;
