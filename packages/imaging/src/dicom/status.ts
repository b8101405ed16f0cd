import { isAppError } from '@yiyun/fhir';

/**
 * DICOM status for an error (PS3.4 Annex C.4 / B.2.3 for DIMSE, PS3.18 §10.5.3 Failure Reason for
 * STOW-RS). AppError messages are written for the sender and are returned as the reason; any other
 * error gets a generic reason so that internal details never leave the server.
 */
export interface DicomStatus {
  readonly status: number;
  readonly reason: string;
}

export const DICOM_STATUS = {
  processingFailure: 0x0110,
  sopClassNotSupported: 0x0122,
  notAuthorized: 0x0124,
  outOfResources: 0xa700,
  dataSetDoesNotMatchSopClass: 0xa900,
  cannotUnderstand: 0xc000,
  transferSyntaxNotSupported: 0xc122,
} as const;

const GENERIC = 'Processing failure';

export function dicomStatusOf(err: unknown): DicomStatus {
  if (!isAppError(err)) return { status: DICOM_STATUS.processingFailure, reason: GENERIC };
  const reason = err.message;
  switch (err.code) {
    case 'invalid':
      return { status: DICOM_STATUS.cannotUnderstand, reason: reason || 'Cannot understand' };
    case 'unsupported':
      return { status: unsupportedStatus(err), reason: reason || 'Not supported' };
    case 'conflict':
      return {
        status: DICOM_STATUS.dataSetDoesNotMatchSopClass,
        reason: reason || 'Data Set does not match SOP Class',
      };
    case 'too-large':
      return { status: DICOM_STATUS.outOfResources, reason: reason || 'Out of resources' };
    case 'forbidden':
    case 'unauthenticated':
      return { status: DICOM_STATUS.notAuthorized, reason: reason || 'Not authorized' };
    default:
      // internal and the rest: the message may carry internal detail, so it is not echoed
      return { status: DICOM_STATUS.processingFailure, reason: GENERIC };
  }
}

/** 0xC122 when the refused attribute is the transfer syntax, else 0x0122 (SOP class not supported). */
function unsupportedStatus(err: {
  readonly issues: readonly { readonly expression?: string[] }[];
  readonly message: string;
}): number {
  const refused = err.issues.flatMap((i) => i.expression ?? []);
  if (refused.includes('TransferSyntaxUID')) return DICOM_STATUS.transferSyntaxNotSupported;
  if (refused.includes('SOPClassUID')) return DICOM_STATUS.sopClassNotSupported;
  return /transfer syntax/i.test(err.message)
    ? DICOM_STATUS.transferSyntaxNotSupported
    : DICOM_STATUS.sopClassNotSupported;
}
