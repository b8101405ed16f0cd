import type { ImagingStudy, OperationDefinition, Parameters, ParametersParameter } from '@medplum/fhirtypes';
import { AppError, custodianOf } from '@yiyun/fhir';
import { shareStudy, studyUidOfResource } from '@yiyun/imaging';
import type { Database, FhirRepository } from '@yiyun/store';
import type { OperationInvocation, OperationSpec } from '../fhir/operations/registry.ts';
import type { FhirContext } from '../fhir/types.ts';

/** The longest a tele-consultation share may last; renew it (share again) for longer. */
export const MAX_SHARE_DAYS = 90;
const DAY_MS = 86_400_000;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const ORGANIZATION_REF = /^Organization\/([A-Za-z0-9\-.]{1,64})$/;
/** Roles that act for the custodian institution of a study (staff who report on it, its admin, its PACS). */
const SHARING_ROLES = new Set(['clinician', 'institution-admin', 'integration-system']);

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'https://yiyun.dev/fhir/OperationDefinition/ImagingStudy-share',
  name: 'ImagingStudyShare',
  title: '影像会诊共享 (tele-consultation share)',
  status: 'active',
  kind: 'operation',
  code: 'share',
  resource: ['ImagingStudy'],
  system: false,
  type: false,
  instance: true,
  description:
    'Grants another institution access to this study for a tele-consultation (远程会诊): its staff and ' +
    'systems may then find and retrieve it over DICOMweb and DIMSE until the share expires (at most ' +
    `${MAX_SHARE_DAYS} days; give \`expires\` or \`days\`) or is revoked with $unshare. Only the custodian ` +
    'institution (a clinician, its institution admin or its integration system) may share; sharing again ' +
    'renews the grant. Audited.',
  parameter: [
    { name: 'organization', use: 'in', min: 1, max: '1', type: 'Reference' },
    { name: 'reason', use: 'in', min: 1, max: '1', type: 'string' },
    { name: 'expires', use: 'in', min: 0, max: '1', type: 'dateTime' },
    { name: 'days', use: 'in', min: 0, max: '1', type: 'integer' },
    { name: 'study', use: 'out', min: 1, max: '1', type: 'Reference' },
    { name: 'patient', use: 'out', min: 0, max: '1', type: 'Reference' },
    { name: 'studyInstanceUid', use: 'out', min: 1, max: '1', type: 'oid' },
    { name: 'organization', use: 'out', min: 1, max: '1', type: 'Reference' },
    { name: 'expires', use: 'out', min: 1, max: '1', type: 'instant' },
  ],
};

/** What the share operations need besides the caller's context. */
export interface ImagingShareDeps {
  readonly sql: Database['sql'];
  /** Unrestricted: the custodian check must see a study and an Organization whatever the caller's scope. */
  readonly repository: FhirRepository;
  readonly now?: () => Date;
}

/** The `name` parameter of a Parameters body. */
export function shareParam(body: unknown, op: string, name: string): ParametersParameter | undefined {
  if (!body || typeof body !== 'object' || (body as Parameters).resourceType !== 'Parameters')
    throw new AppError('invalid', `$${op} takes a Parameters resource`);
  return (body as Parameters).parameter?.find((p) => p.name === name);
}

async function readIfExists(repo: FhirRepository, type: string, id: string) {
  try {
    return await repo.read(type, id);
  } catch (err) {
    if (err instanceof AppError && (err.code === 'not-found' || err.code === 'gone')) return undefined;
    throw err;
  }
}

/** The grantee: `organization` must reference an existing Organization. */
export async function granteeOf(body: unknown, op: string, deps: ImagingShareDeps): Promise<string> {
  const reference = shareParam(body, op, 'organization')?.valueReference?.reference ?? '';
  const id = ORGANIZATION_REF.exec(reference)?.[1];
  if (!id) throw new AppError('invalid', `$${op} needs organization as a reference Organization/{id}`);
  if (!(await readIfExists(deps.repository, 'Organization', id)))
    throw new AppError('unprocessable', `Organization/${id} does not exist`);
  return id;
}

/** The custodian study a caller acts on: its StudyInstanceUID and the caller's institution. */
export interface CustodianStudy {
  readonly id: string;
  /** `Patient/{id}` the study is of (its subject), for the answer and the audit trail. */
  readonly patient?: string;
  readonly studyUid: string;
  readonly organization: string;
  readonly actor: string;
}

/**
 * Resolves the instance an operation is invoked on and checks that the caller acts for its custodian
 * institution. A study the caller cannot see is 404 (its existence is not disclosed); one it can
 * see but does not hold (e.g. a study shared with it) is 403.
 */
export async function custodianStudy(
  invocation: OperationInvocation,
  ctx: FhirContext,
  deps: ImagingShareDeps,
): Promise<CustodianStudy> {
  const principal = ctx.authorization?.principal;
  const organization = principal?.organization;
  if (!principal || !organization || !principal.roles.some((r) => SHARING_ROLES.has(r)))
    throw new AppError(
      'forbidden',
      'Only a clinician, institution admin or integration system of the custodian institution may share studies',
    );
  const id = invocation.id ?? '';
  const notFound = new AppError('not-found', `ImagingStudy/${id} not found`);
  if (!FHIR_ID.test(id)) throw notFound;
  const study = (await readIfExists(deps.repository, 'ImagingStudy', id)) as ImagingStudy | undefined;
  if (!study) throw notFound;
  if (custodianOf(study) !== organization) {
    if (await readIfExists(ctx.repo, 'ImagingStudy', id))
      throw new AppError('forbidden', 'Only the custodian institution of a study may share it');
    throw notFound;
  }
  const studyUid = studyUidOfResource(study);
  if (!studyUid) throw new AppError('unprocessable', `ImagingStudy/${id} names no StudyInstanceUID`);
  const patient = study.subject?.reference;
  return {
    id,
    ...(patient?.startsWith('Patient/') ? { patient } : {}),
    studyUid,
    organization,
    actor: principal.subject,
  };
}

/** The study and its patient, as the share operations answer them (the audit record reads the patient). */
export function studyParameters(study: CustodianStudy): ParametersParameter[] {
  return [
    { name: 'study', valueReference: { reference: `ImagingStudy/${study.id}` } },
    ...(study.patient ? [{ name: 'patient', valueReference: { reference: study.patient } }] : []),
  ];
}

/** `expires` (a dateTime, at most MAX_SHARE_DAYS ahead) or `days` (1 … MAX_SHARE_DAYS). */
function expiryOf(body: unknown, now: Date): Date {
  const expires = shareParam(body, 'share', 'expires')?.valueDateTime;
  const days = shareParam(body, 'share', 'days')?.valueInteger;
  if ((expires === undefined) === (days === undefined))
    throw new AppError('invalid', '$share needs exactly one of expires (dateTime) or days (integer)');
  const limit = now.getTime() + MAX_SHARE_DAYS * DAY_MS;
  if (days !== undefined) {
    if (!Number.isInteger(days) || days < 1 || days > MAX_SHARE_DAYS)
      throw new AppError('invalid', `days must be an integer from 1 to ${MAX_SHARE_DAYS}`);
    return new Date(now.getTime() + days * DAY_MS);
  }
  const at = new Date(expires ?? '');
  if (Number.isNaN(at.getTime()) || !/T/.test(expires ?? ''))
    throw new AppError('invalid', 'expires must be a dateTime with a time and zone');
  if (at.getTime() <= now.getTime()) throw new AppError('invalid', 'expires must be in the future');
  if (at.getTime() > limit)
    throw new AppError('invalid', `A share lasts at most ${MAX_SHARE_DAYS} days; renew it before it expires`);
  return at;
}

/** `POST ImagingStudy/{id}/$share`: tele-consultation grant from the custodian to another institution. */
export function imagingShareOperation(deps: ImagingShareDeps): OperationSpec {
  return {
    name: 'share',
    levels: ['instance'],
    resourceTypes: ['ImagingStudy'],
    methods: ['POST'],
    definition,
    async handle(invocation, ctx) {
      const body = invocation.request.body;
      const now = deps.now?.() ?? new Date();
      const study = await custodianStudy(invocation, ctx, deps);
      const reason = shareParam(body, 'share', 'reason')?.valueString?.trim() ?? '';
      if (!reason) throw new AppError('invalid', '$share needs a reason');
      const expiresAt = expiryOf(body, now);
      const grantee = await granteeOf(body, 'share', deps);
      await shareStudy(
        deps.sql,
        {
          study: study.studyUid,
          organization: grantee,
          grantedBy: study.organization,
          actor: study.actor,
          reason,
          expiresAt,
        },
        now,
      );
      const out: Parameters = {
        resourceType: 'Parameters',
        parameter: [
          ...studyParameters(study),
          { name: 'studyInstanceUid', valueOid: `urn:oid:${study.studyUid}` },
          { name: 'organization', valueReference: { reference: `Organization/${grantee}` } },
          { name: 'expires', valueInstant: expiresAt.toISOString() },
        ],
      };
      return { status: 200, body: out };
    },
  };
}
