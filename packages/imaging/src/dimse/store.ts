import { dicomStatusOf } from '../dicom/index.ts';
import { buildPart10 } from './part10.ts';
import { errorComment, Status } from './status-codes.ts';
import type { AssociationContext } from './types.ts';

export interface StoreRequestData {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  /** The dataset bytes exactly as received in the negotiated transfer syntax. */
  readonly dataset: Uint8Array;
}

export interface StoreAnswer {
  readonly status: number;
  readonly comment?: string;
  /** The study the instance was stored in (when it was). */
  readonly studyUid?: string;
}

/**
 * C-STORE SCP (PS3.4 Annex B.2, PS3.7 §9.1.1): frames the received dataset as Part 10 (File Meta with
 * the negotiated transfer syntax and the AE titles) and stores it through the imaging service, which
 * validates, indexes, applies the access rules and audits. Never throws: every outcome is a status.
 */
export async function handleStore(ctx: AssociationContext, request: StoreRequestData): Promise<StoreAnswer> {
  if (ctx.peer.canStore === false) {
    return { status: Status.notAuthorized, comment: errorComment(`${ctx.peer.aeTitle} may not store`) };
  }
  const part10 = buildPart10(request.dataset, {
    transferSyntaxUid: request.transferSyntaxUid,
    sopClassUid: request.sopClassUid,
    sopInstanceUid: request.sopInstanceUid,
    sourceAeTitle: ctx.peer.aeTitle,
    receivingAeTitle: ctx.aeTitle,
  });
  try {
    const result = await ctx.options.service.store(part10, ctx.caller('c-store'));
    if (result.sopInstanceUid !== request.sopInstanceUid) {
      // PS3.4 §B.2.3: the command names the instance; a dataset of another one is an error of the SCU,
      // but it is stored by now, so it is reported as a warning rather than lost.
      ctx.options.logger.warn(
        { callingAe: ctx.peer.aeTitle },
        'dimse c-store dataset instance differs from command',
      );
      const comment = 'SOP Instance UID differs from Affected SOP Instance UID';
      return { status: Status.warning, comment, studyUid: result.studyUid };
    }
    if (result.warningReason !== undefined) {
      return {
        status: result.warningReason,
        comment: errorComment(result.warnings.join('; ')),
        studyUid: result.studyUid,
      };
    }
    return { status: Status.success, studyUid: result.studyUid };
  } catch (error) {
    const { status, reason } = dicomStatusOf(error);
    const level = status === Status.processingFailure ? 'error' : 'warn';
    ctx.options.logger[level](
      { callingAe: ctx.peer.aeTitle, status: hex(status), err: level === 'error' ? error : undefined },
      'dimse c-store refused',
    );
    return { status, comment: errorComment(reason) };
  }
}

export function hex(status: number): string {
  return `0x${status.toString(16).toUpperCase().padStart(4, '0')}`;
}
