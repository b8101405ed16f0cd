import type { Authorization, Principal } from '@yiyun/auth';
import type { ImagingCaller } from '@yiyun/imaging';

/** Where a request came from, for the audit trail. */
export interface CallerOrigin {
  readonly requestId?: string;
  readonly address?: string;
}

/**
 * The imaging view of an authorised caller: the same row scope as the FHIR API (so DICOMweb and
 * DIMSE obey the same access rules), the institution it stores for and shares are granted to.
 * Storing needs an institution and the right to create ImagingStudy records.
 */
export function imagingCaller(
  authorization: Authorization,
  via: string,
  origin: CallerOrigin = {},
): ImagingCaller {
  const principal = authorization.principal;
  const organization = principal.roles.includes('resident') ? undefined : principal.organization;
  return {
    scope: authorization.scope,
    ...(organization ? { organization } : {}),
    actor: principal.subject,
    canStore: organization !== undefined && authorization.allows('c', 'ImagingStudy'),
    via,
    ...(origin.requestId ? { requestId: origin.requestId } : {}),
    ...(origin.address ? { address: origin.address } : {}),
  };
}

/** A known DICOM peer (YIYUN_DICOM_PEERS): a registered system of its institution. */
export interface PeerIdentity {
  readonly aeTitle: string;
  readonly organization: string;
  readonly canStore: boolean;
}

/**
 * A DIMSE peer acts as its institution's integration system (SMART system scopes: read and
 * search, plus create and update when it may store), under the same policy as a FHIR client.
 */
export function peerPrincipal(peer: PeerIdentity): Principal {
  return {
    kind: 'system',
    subject: `dicom-ae:${peer.aeTitle}`,
    clientId: `dicom-ae:${peer.aeTitle}`,
    roles: ['integration-system'],
    organization: peer.organization,
    scopes: [peer.canStore ? 'system/*.cruds' : 'system/*.rs'],
  };
}
