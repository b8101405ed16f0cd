import dimse from 'dcmjs-dimse';
import { dicomStatusOf } from '../dicom/index.ts';
import { findResponses, type InformationModel, planFind } from './find.ts';
import type { IdentifierKey } from './identifier.ts';
import {
  type CFindResponse,
  findResponse,
  type RetrieveResponse,
  retrieveFinal,
  retrievePending,
} from './responses.ts';
import { handleGet, handleMove } from './retrieve.ts';
import { DimseRefusal, errorComment, Status } from './status-codes.ts';
import { hex } from './store.ts';
import type { StoreChannel } from './sub-operations.ts';
import type { AssociationContext } from './types.ts';

type CFindRequest = InstanceType<typeof dimse.requests.CFindRequest>;
type CMoveRequest = InstanceType<typeof dimse.requests.CMoveRequest>;
type CGetRequest = InstanceType<typeof dimse.requests.CGetRequest>;

/** One C-FIND / C-MOVE / C-GET in progress on an association. */
export interface Operation {
  readonly context: AssociationContext;
  readonly model: InformationModel;
  readonly keys: readonly IdentifierKey[];
  /** Aborted by C-CANCEL or when the association ends. */
  readonly signal: AbortSignal;
  /** The SCU's own association, on which C-GET sends its C-STOREs. */
  readonly channel: StoreChannel;
}

/**
 * How responses go back: Pending ones as they come, and the final one, which ends the request in
 * dcmjs-dimse (its handler callback may be called only once).
 */
export interface Reply<R> {
  pending(response: R): void;
  final(response: R): void;
  /**
   * Resolves when more may be sent: after the socket drained, and always after a turn of the event
   * loop, so that a C-CANCEL arriving meanwhile is read before the next response goes out.
   */
  flow(): Promise<void>;
}

/** C-FIND: a Pending response per match, then Success, Cancel or a failure (PS3.4 §C.4.1.1.4). */
export async function answerFind(
  operation: Operation,
  request: CFindRequest,
  reply: Reply<CFindResponse>,
): Promise<void> {
  const { context, signal } = operation;
  let matches = 0;
  try {
    const plan = planFind(operation.model, operation.keys);
    const run = {
      service: context.options.service,
      caller: context.caller('c-find'),
      aeTitle: context.aeTitle,
      signal,
    };
    for await (const identifier of findResponses(plan, run)) {
      reply.pending(findResponse(request, Status.pending, identifier));
      matches += 1;
      await reply.flow();
    }
    reply.final(findResponse(request, signal.aborted ? Status.cancel : Status.success));
    context.options.logger.debug(
      { callingAe: context.peer.aeTitle, level: plan.levelText, matches },
      'dimse c-find done',
    );
  } catch (error) {
    const { status, comment } = failure(context, error, 'c-find');
    reply.final(findResponse(request, status, undefined, comment));
  }
}

function failure(
  context: AssociationContext,
  error: unknown,
  operation: string,
): { status: number; comment: string } {
  if (error instanceof DimseRefusal) return { status: error.status, comment: errorComment(error.message) };
  const { status, reason } = dicomStatusOf(error);
  const level = status === Status.processingFailure ? 'error' : 'warn';
  context.options.logger[level](
    { callingAe: context.peer.aeTitle, status: hex(status), err: error },
    `dimse ${operation} failed`,
  );
  return { status, comment: errorComment(reason) };
}

/** C-MOVE / C-GET: Pending responses with the sub-operation counts, then the final one. */
export async function answerRetrieve(
  operation: Operation,
  request: CMoveRequest | CGetRequest,
  reply: Reply<RetrieveResponse>,
): Promise<void> {
  const { context } = operation;
  const base = {
    model: operation.model,
    keys: operation.keys,
    messageId: request.getMessageId(),
    signal: operation.signal,
    onProgress: (counts: Parameters<typeof retrievePending>[1]) =>
      reply.pending(retrievePending(request, counts)),
  };
  const isMove = request instanceof dimse.requests.CMoveRequest;
  const destination = String(request.getCommandDataset().getElement('MoveDestination') ?? '').trim();
  const answer = isMove
    ? await handleMove(context, { ...base, destination })
    : await handleGet(context, { ...base, channel: operation.channel });
  reply.final(retrieveFinal(request, answer));
  context.options.logger.info(
    {
      callingAe: context.peer.aeTitle,
      ...(isMove ? { destination } : {}),
      status: hex(answer.status),
      ...(answer.counts ?? {}),
    },
    isMove ? 'dimse c-move done' : 'dimse c-get done',
  );
}
