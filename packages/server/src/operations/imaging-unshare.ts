import type { OperationDefinition, Parameters } from '@medplum/fhirtypes';
import { revokeShare } from '@yiyun/imaging';
import type { OperationSpec } from '../fhir/operations/registry.ts';
import { custodianStudy, granteeOf, type ImagingShareDeps, studyParameters } from './imaging-share.ts';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'https://yiyun.dev/fhir/OperationDefinition/ImagingStudy-unshare',
  name: 'ImagingStudyUnshare',
  title: '撤销影像会诊共享 (revoke a tele-consultation share)',
  status: 'active',
  kind: 'operation',
  code: 'unshare',
  resource: ['ImagingStudy'],
  system: false,
  type: false,
  instance: true,
  description:
    'Revokes the share of this study with an institution at once (its staff and systems no longer find ' +
    'or retrieve it). Only the custodian institution may revoke; `revoked` is false when no share was ' +
    'active (idempotent). Audited.',
  parameter: [
    { name: 'organization', use: 'in', min: 1, max: '1', type: 'Reference' },
    { name: 'study', use: 'out', min: 1, max: '1', type: 'Reference' },
    { name: 'patient', use: 'out', min: 0, max: '1', type: 'Reference' },
    { name: 'organization', use: 'out', min: 1, max: '1', type: 'Reference' },
    { name: 'revoked', use: 'out', min: 1, max: '1', type: 'boolean' },
  ],
};

/** `POST ImagingStudy/{id}/$unshare`: ends a tele-consultation share before it expires. */
export function imagingUnshareOperation(deps: ImagingShareDeps): OperationSpec {
  return {
    name: 'unshare',
    levels: ['instance'],
    resourceTypes: ['ImagingStudy'],
    methods: ['POST'],
    definition,
    async handle(invocation, ctx) {
      const study = await custodianStudy(invocation, ctx, deps);
      const grantee = await granteeOf(invocation.request.body, 'unshare', deps);
      const revoked = await revokeShare(deps.sql, {
        study: study.studyUid,
        organization: grantee,
        revokedBy: study.organization,
        actor: study.actor,
      });
      const out: Parameters = {
        resourceType: 'Parameters',
        parameter: [
          ...studyParameters(study),
          { name: 'organization', valueReference: { reference: `Organization/${grantee}` } },
          { name: 'revoked', valueBoolean: revoked },
        ],
      };
      return { status: 200, body: out };
    },
  };
}
