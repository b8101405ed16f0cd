import { dicomStatusOf } from '../dicom/index.ts';
import type { InstanceLocation } from '../service/port.ts';
import type { InformationModel } from './find.ts';
import type { IdentifierKey } from './identifier.ts';
import { locateInstances, visibleTo } from './locate.ts';
import { DimseRefusal, errorComment, Status } from './status-codes.ts';
import { openSubAssociation, type SubAssociation } from './sub-association.ts';
import {
  finalStatus,
  runSubOperations,
  type StoreChannel,
  type SubOperationCounts,
  type SubOperationResult,
} from './sub-operations.ts';
import type { AssociationContext, DimsePeer } from './types.ts';

/**
 * C-MOVE and C-GET SCP (PS3.4 §C.4.2, §C.4.3): locate what the identifier names and the caller may see,
 * send it by C-STORE sub-operations, report the counts in Pending responses and end with the final
 * status. C-MOVE sends to a registered peer over a new association; C-GET on the SCU's own one.
 */
export interface RetrieveAnswer {
  readonly status: number;
  readonly counts?: SubOperationCounts;
  readonly comment?: string;
  /** Failed SOP Instance UID List (0008,0058), PS3.4 §C.4.2.1.3.1. */
  readonly failedSopInstanceUids?: readonly string[];
}

export interface RetrieveRequest {
  readonly model: InformationModel;
  readonly keys: readonly IdentifierKey[];
  readonly messageId: number;
  readonly signal: AbortSignal;
  onProgress(counts: SubOperationCounts): void;
}

function answerOf(result: SubOperationResult): RetrieveAnswer {
  const status = finalStatus(result);
  return {
    status,
    counts: result.counts,
    ...(result.failedSopInstanceUids.length > 0
      ? { failedSopInstanceUids: result.failedSopInstanceUids }
      : {}),
  };
}

function refusalOf(ctx: AssociationContext, error: unknown, operation: string): RetrieveAnswer {
  if (error instanceof DimseRefusal) return { status: error.status, comment: errorComment(error.message) };
  const { status, reason } = dicomStatusOf(error);
  ctx.options.logger.error({ callingAe: ctx.peer.aeTitle, err: error }, `dimse ${operation} failed`);
  return { status, comment: errorComment(reason) };
}

function mayRetrieve(ctx: AssociationContext): void {
  if (ctx.peer.canRetrieve === false) {
    throw new DimseRefusal(Status.notAuthorized, `${ctx.peer.aeTitle} may not retrieve`);
  }
}

/**
 * What the destination may receive: instances of another institution's system must also be visible
 * to that institution (its own records, or a tele-consultation share), else they are failed
 * sub-operations rather than a leak to a system that may not see them.
 */
async function splitByDestination(
  ctx: AssociationContext,
  destination: DimsePeer,
  located: InstanceLocation[],
): Promise<{ send: InstanceLocation[]; refused: InstanceLocation[] }> {
  if (destination.organization === ctx.peer.organization) return { send: located, refused: [] };
  const caller = { ...ctx.options.callerFor(destination), via: 'c-move' };
  const visible = await visibleTo(
    { service: ctx.options.service, caller },
    located.map((l) => l.studyUid),
  );
  return {
    send: located.filter((l) => visible.has(l.sopInstanceUid)),
    refused: located.filter((l) => !visible.has(l.sopInstanceUid)),
  };
}

export async function handleMove(
  ctx: AssociationContext,
  request: RetrieveRequest & { readonly destination: string },
): Promise<RetrieveAnswer> {
  try {
    mayRetrieve(ctx);
    const destination = ctx.options.peers.find((p) => p.aeTitle === request.destination);
    if (!destination) {
      const comment = errorComment(`Move destination unknown: ${request.destination}`);
      return { status: Status.moveDestinationUnknown, comment };
    }
    const lookup = { service: ctx.options.service, caller: ctx.caller('c-move') };
    const located = await locateInstances(lookup, request.model, request.keys);
    const { send, refused } = await splitByDestination(ctx, destination, located);
    if (send.length === 0) {
      const counts = { remaining: 0, completed: 0, failed: refused.length, warning: 0 };
      return answerOf({
        counts,
        failedSopInstanceUids: refused.map((l) => l.sopInstanceUid),
        cancelled: false,
      });
    }
    return await moveTo(ctx, destination, { ...request, send, refused });
  } catch (error) {
    return refusalOf(ctx, error, 'c-move');
  }
}

/** The sub-association to the destination (PS3.4 §C.4.2.3.1), released whatever happens. */
async function moveTo(
  ctx: AssociationContext,
  destination: DimsePeer,
  request: RetrieveRequest & { readonly send: InstanceLocation[]; readonly refused: InstanceLocation[] },
): Promise<RetrieveAnswer> {
  let channel: SubAssociation;
  try {
    channel = await openSubAssociation({
      host: destination.host,
      port: destination.port,
      callingAeTitle: ctx.aeTitle,
      calledAeTitle: destination.aeTitle,
      locations: request.send,
      maxPdu: ctx.maxPdu,
      idleTimeoutMs: ctx.idleTimeoutMs,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'connection failed';
    const fields = { callingAe: ctx.peer.aeTitle, destination: destination.aeTitle, reason };
    ctx.options.logger.warn(fields, 'dimse c-move destination unreachable');
    const comment = errorComment(`${destination.aeTitle}: ${reason}`);
    return { status: Status.unableToPerformSubOperations, comment };
  }
  try {
    const moveOriginator = { aeTitle: ctx.peer.aeTitle, messageId: request.messageId };
    const run = {
      ...runBase(ctx, request),
      channel,
      locations: request.send,
      refused: request.refused,
      moveOriginator,
    };
    return answerOf(await runSubOperations(run));
  } finally {
    await channel.release();
  }
}

export async function handleGet(
  ctx: AssociationContext,
  request: RetrieveRequest & { readonly channel: StoreChannel },
): Promise<RetrieveAnswer> {
  try {
    mayRetrieve(ctx);
    const lookup = { service: ctx.options.service, caller: ctx.caller('c-get') };
    const locations = await locateInstances(lookup, request.model, request.keys);
    return answerOf(
      await runSubOperations({ ...runBase(ctx, request), channel: request.channel, locations }),
    );
  } catch (error) {
    return refusalOf(ctx, error, 'c-get');
  }
}

function runBase(ctx: AssociationContext, request: RetrieveRequest) {
  return {
    service: ctx.options.service,
    signal: request.signal,
    onProgress: request.onProgress,
    logger: ctx.options.logger,
  };
}
