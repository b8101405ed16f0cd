import { once } from 'node:events';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import dimse from 'dcmjs-dimse';
import { type Admission, type AdmissionRules, admit, plainAddress } from './admission.ts';
import { identifierKeys } from './identifier.ts';
import { decideContext, queryRetrieveModel } from './negotiation.ts';
import { answerFind, answerRetrieve, type Operation, type Reply } from './operations.ts';
import { DatasetCollector, RawDataset } from './raw-dataset.ts';
import { handleStore, type StoreAnswer } from './store.ts';
import type { AssociationContext, DimseServerOptions } from './types.ts';

const { Scp } = dimse;
const { CEchoResponse, CStoreResponse } = dimse.responses;
const {
  PresentationContextResult: Result,
  RejectReason,
  RejectResult,
  RejectSource,
  Status,
} = dimse.constants;
type Association = InstanceType<typeof dimse.association.Association>;
type PresentationContext = InstanceType<typeof dimse.association.PresentationContext>;
type Requests = typeof dimse.requests;
type Responses = typeof dimse.responses;
type Respond<R> = (response: R) => void;

/** What every association of one server shares. */
export interface ServerContext {
  readonly options: DimseServerOptions;
  readonly rules: AdmissionRules;
  readonly maxPdu: number;
  readonly idleTimeoutMs: number;
}

const REJECT = {
  'called-ae': RejectReason.CalledAeNotRecognized,
  'calling-ae': RejectReason.CallingAeNotRecognized,
  host: RejectReason.CallingAeNotRecognized,
} as const;

/** Decides every proposed presentation context (PS3.8 §9.3.2.2); returns how many were accepted. */
function negotiate(association: Association): number {
  let accepted = 0;
  for (const { context } of association.getPresentationContexts()) {
    const decision = decideContext({
      id: context.getPresentationContextId(),
      abstractSyntax: context.getAbstractSyntaxUid(),
      transferSyntaxes: context.getTransferSyntaxUids(),
    });
    if (decision.accept) {
      context.setResult(Result.Accept, decision.transferSyntax);
      accepted += 1;
    } else if (decision.reason === 'abstract-syntax') {
      context.setResult(Result.RejectAbstractSyntaxNotSupported);
    } else {
      context.setResult(Result.RejectTransferSyntaxesNotSupported);
    }
  }
  return accepted;
}

/**
 * One association as SCP (PS3.7 §7, PS3.8 §7): admission, presentation context negotiation and the
 * DIMSE services, each translated into ImagingService calls under the peer's caller.
 */
export class YiyunScp extends Scp {
  readonly #server: ServerContext;
  readonly #socket: Socket;
  #context: AssociationContext | undefined;
  #association: Association | undefined;
  /** Running C-FIND / C-MOVE / C-GET by message ID, for C-CANCEL (PS3.7 §9.3.2.3). */
  readonly #operations = new Map<number, AbortController>();
  readonly #closed: Promise<void>;
  /** Studies stored on this association, for `afterAssociation`. */
  readonly #storedStudies = new Set<string>();

  constructor(socket: Socket, server: ServerContext) {
    // The socket idle timeout (both directions) is the inactivity limit; dcmjs-dimse's own PDU timer
    // counts received PDUs only and would abort a long C-MOVE whose SCU is silently waiting.
    super(socket, { connectTimeout: server.idleTimeoutMs, pduTimeout: 2 ** 31 - 1 });
    socket.setNoDelay(true);
    this.#server = server;
    this.#socket = socket;
    this.on('networkError', () => socket.destroy());
    this.#closed = new Promise<void>((resolve) => this.once('close', () => resolve()));
    this.on('close', () => {
      this.#cancelAll();
      this.#afterAssociation();
    });
  }

  #afterAssociation(): void {
    const { afterAssociation, logger } = this.#server.options;
    if (!afterAssociation || this.#storedStudies.size === 0) return;
    const studies = [...this.#storedStudies];
    void Promise.resolve()
      .then(() => afterAssociation(studies))
      .catch((err: unknown) =>
        logger.error({ err, studies: studies.length }, 'dimse after-association hook failed'),
      );
  }

  override associationRequested(association: Association): void {
    this.#association = association;
    const remoteAddress = plainAddress(this.#socket.remoteAddress);
    const request = {
      calledAeTitle: association.getCalledAeTitle(),
      callingAeTitle: association.getCallingAeTitle(),
      remoteAddress,
    };
    void admit(this.#server.rules, request)
      .then((admission) => this.#answerAssociation(association, admission, remoteAddress))
      .catch((err: unknown) => this.#failed(err));
  }

  #answerAssociation(association: Association, admission: Admission, remoteAddress: string): void {
    const { logger } = this.#server.options;
    const fields = {
      callingAe: association.getCallingAeTitle(),
      calledAe: association.getCalledAeTitle(),
      address: remoteAddress,
    };
    if (!admission.admitted) {
      logger.warn({ ...fields, reason: admission.message }, 'dimse association rejected');
      this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, REJECT[admission.reason]);
      return;
    }
    const accepted = negotiate(association);
    this.#context = this.#associationContext(admission.peer, remoteAddress);
    // dcmjs-dimse advertises min(peer's, ours) as our receive limit and sends with whatever the
    // association holds: advertise ours, then send within the peer's (PS3.8 §D.1).
    const peerMaxPdu = association.getMaxPduLength();
    association.setMaxPduLength(this.#server.maxPdu);
    this.sendAssociationAccept();
    association.setMaxPduLength(peerMaxPdu);
    logger.info({ ...fields, known: admission.known, contexts: accepted }, 'dimse association accepted');
  }

  #associationContext(peer: AssociationContext['peer'], remoteAddress: string): AssociationContext {
    const { options } = this.#server;
    return {
      options,
      aeTitle: this.#server.rules.aeTitle,
      peer,
      remoteAddress,
      maxPdu: this.#server.maxPdu,
      idleTimeoutMs: this.#server.idleTimeoutMs,
      caller: (via) => {
        const base = options.callerFor(peer);
        return { ...base, actor: base.actor || peer.aeTitle, via, address: base.address ?? remoteAddress };
      },
    };
  }

  override associationReleaseRequested(): void {
    this.sendAssociationReleaseResponse();
  }

  override abort(): void {
    this.#cancelAll();
    this.#socket.destroy();
  }

  override cEchoRequest(
    request: InstanceType<Requests['CEchoRequest']>,
    respond: Respond<InstanceType<Responses['CEchoResponse']>>,
  ): void {
    const response = CEchoResponse.fromRequest(request);
    response.setStatus(Status.Success);
    respond(response);
  }

  override createStoreWritableStream(): Writable {
    return new DatasetCollector();
  }

  override createDatasetFromStoreWritableStream(
    writable: Writable,
    context: PresentationContext,
    callback: (dataset: InstanceType<typeof dimse.Dataset>) => void,
  ): void {
    const bytes = writable instanceof DatasetCollector ? writable.bytes() : Buffer.alloc(0);
    callback(new RawDataset(bytes, context.getAcceptedTransferSyntaxUid() ?? ''));
  }

  override cStoreRequest(
    request: InstanceType<Requests['CStoreRequest']>,
    respond: Respond<InstanceType<Responses['CStoreResponse']>>,
  ): void {
    const dataset = request.getDataset();
    const context = this.#context;
    const answer =
      context && dataset instanceof RawDataset
        ? handleStore(context, {
            sopClassUid: request.getAffectedSopClassUid(),
            sopInstanceUid: request.getAffectedSopInstanceUid(),
            transferSyntaxUid: dataset.getTransferSyntaxUid(),
            dataset: dataset.bytes,
          })
        : Promise.resolve<StoreAnswer>({ status: Status.ProcessingFailure, comment: 'no association' });
    void answer
      .then(({ status, comment, studyUid }) => {
        if (studyUid) this.#storedStudies.add(studyUid);
        const response = CStoreResponse.fromRequest(request);
        response.setStatus(status);
        if (comment) response.setErrorComment(comment);
        respond(response);
      })
      .catch((err: unknown) => this.#failed(err));
  }

  override cFindRequest(
    request: InstanceType<Requests['CFindRequest']>,
    respond: Respond<InstanceType<Responses['CFindResponse']>[]>,
  ): void {
    this.#run(request, (operation) => answerFind(operation, request, this.#reply(request, respond)));
  }

  override cMoveRequest(
    request: InstanceType<Requests['CMoveRequest']>,
    respond: Respond<InstanceType<Responses['CMoveResponse']>[]>,
  ): void {
    this.#run(request, (operation) => answerRetrieve(operation, request, this.#reply(request, respond)));
  }

  override cGetRequest(
    request: InstanceType<Requests['CGetRequest']>,
    respond: Respond<InstanceType<Responses['CGetResponse']>[]>,
  ): void {
    this.#run(request, (operation) => answerRetrieve(operation, request, this.#reply(request, respond)));
  }

  override cCancelRequest(request: InstanceType<Requests['CCancelRequest']>): void {
    this.#operations.get(request.getMessageIdBeingRespondedTo())?.abort();
  }

  /** Pending responses are sent directly; the final one through dcmjs-dimse's one-shot callback. */
  #reply<R extends InstanceType<Responses['Response']>>(
    request: InstanceType<Requests['Request']>,
    respond: Respond<R[]>,
  ): Reply<R> {
    return {
      pending: (response) => this.sendResponse(request, response),
      final: (response) => respond([response]),
      flow: async () => {
        if (this.#socket.writableNeedDrain)
          await Promise.race([once(this.#socket, 'drain').catch(() => {}), this.#closed]);
        await new Promise((resolve) => setImmediate(resolve));
      },
    };
  }

  #run(request: InstanceType<Requests['Request']>, answer: (operation: Operation) => Promise<void>): void {
    const context = this.#context;
    const association = this.#association;
    if (!context || !association) return;
    const id = request.getMessageId();
    const controller = new AbortController();
    this.#operations.set(id, controller);
    const operation: Operation = {
      context,
      model: queryRetrieveModel(request.getAffectedSopClassUid()) ?? 'study',
      keys: identifierKeys(request.getDataset()?.getElements() ?? {}),
      signal: controller.signal,
      channel: { association, send: (r) => this.sendRequests(r), closed: this.#closed },
    };
    void answer(operation)
      .catch((err: unknown) => this.#failed(err))
      .finally(() => this.#operations.delete(id));
  }

  /** A fault of ours while answering: the association cannot go on in a known state (A-ABORT). */
  #failed(err: unknown): void {
    this.#server.options.logger.error({ err }, 'dimse association failed');
    this.#cancelAll();
    if (this.#socket.destroyed) return;
    this.sendAbort();
    this.#socket.end();
    setTimeout(() => this.#socket.destroy(), 1000).unref();
  }

  #cancelAll(): void {
    for (const controller of this.#operations.values()) controller.abort();
  }
}
