/**
 * DIMSE status codes the SCP answers with (PS3.7 Annex C; service-specific ones from PS3.4 §B.2.3
 * Storage, §C.4.1.1.4 C-FIND, §C.4.2.1.5 C-MOVE, §C.4.3.1.4 C-GET).
 */
export const Status = {
  success: 0x0000,
  pending: 0xff00,
  cancel: 0xfe00,
  /** C-STORE: Coercion of Data Elements; C-MOVE/C-GET: sub-operations complete, one or more failures or warnings. */
  warning: 0xb000,
  /** C-MOVE/C-GET: Refused: Out of Resources – unable to perform sub-operations. */
  unableToPerformSubOperations: 0xa702,
  moveDestinationUnknown: 0xa801,
  /** C-FIND/C-MOVE/C-GET: Identifier does not match SOP Class. */
  identifierDoesNotMatch: 0xa900,
  unableToProcess: 0xc000,
  /** Refused: Not Authorized (PS3.7 §C.5.20). */
  notAuthorized: 0x0124,
  processingFailure: 0x0110,
} as const;

/** A status class by its code (PS3.7 Annex C.1). */
export function statusClass(status: number): 'success' | 'warning' | 'failure' | 'cancel' | 'pending' {
  if (status === Status.success) return 'success';
  if (status === Status.pending || status === 0xff01) return 'pending';
  if (status === Status.cancel) return 'cancel';
  if ((status & 0xf000) === 0xb000 || status === 0x0001 || status === 0x0107 || status === 0x0116)
    return 'warning';
  return 'failure';
}

/** Error Comment (0000,0902) is LO: at most 64 characters (PS3.7 §C.4.3). */
export function errorComment(text: string): string {
  return text.length <= 64 ? text : `${text.slice(0, 61)}...`;
}

/** A refusal an operation ends with: status and the comment for the SCU. */
export class DimseRefusal extends Error {
  readonly status: number;

  constructor(status: number, comment: string) {
    super(comment);
    this.name = 'DimseRefusal';
    this.status = status;
  }
}
