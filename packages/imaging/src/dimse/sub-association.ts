import net from 'node:net';
import dimse from 'dcmjs-dimse';
import type { InstanceLocation } from '../service/port.ts';
import { EXPLICIT_LE, IMPLICIT_LE } from './negotiation.ts';
import type { StoreChannel } from './sub-operations.ts';

const { Scp } = dimse;
const { Association } = dimse.association;
const { RejectReason } = dimse.constants;
type Association = InstanceType<typeof Association>;

/**
 * The C-MOVE sub-association (PS3.4 §C.4.2.3.1): we are the association requester and C-STORE SCU.
 * dcmjs-dimse's `Client` cannot serve here: it needs every request, hence every dataset in memory,
 * before it connects, proposes implicit VR first for every SOP class, and releases the association
 * as soon as its queue first empties. Its `Network` base (not exported, but `Scp` is one) sends
 * requests one at a time on an association we negotiate ourselves, with exactly the stored syntaxes.
 */
class StoreRequester extends Scp {
  readonly #socket: net.Socket;

  constructor(socket: net.Socket, options: { connectTimeout: number; pduTimeout: number }) {
    super(socket, options);
    this.#socket = socket;
  }

  override associationRequested(): void {
    // We opened this connection; the peer has no business requesting an association on it.
    this.sendAssociationReject();
  }

  /** A-ABORT from the peer (PS3.8 §7.3): the association is gone. */
  override abort(): void {
    this.#socket.destroy();
  }
}

/** PS3.8 §9.3.2: at most 128 presentation contexts (odd IDs 1–255). */
const MAX_CONTEXTS = 128;

/**
 * One context per (SOP class, stored transfer syntax), so every instance goes as stored; then, per SOP
 * class, one with explicit and implicit VR little endian for a peer that refuses the stored syntax
 * (PS3.5 Annex A.1 requires implicit VR of every SCP): encapsulated pixel data is decoded for it, and
 * dcmjs-dimse converts between the uncompressed syntaxes.
 */
export function proposedContexts(
  locations: readonly InstanceLocation[],
): { sopClass: string; syntaxes: string[] }[] {
  const exact = new Map<string, { sopClass: string; syntaxes: string[] }>();
  const fallback = new Map<string, { sopClass: string; syntaxes: string[] }>();
  for (const { sopClassUid, transferSyntaxUid } of locations) {
    exact.set(`${sopClassUid} ${transferSyntaxUid}`, {
      sopClass: sopClassUid,
      syntaxes: [transferSyntaxUid],
    });
    fallback.set(sopClassUid, { sopClass: sopClassUid, syntaxes: [EXPLICIT_LE, IMPLICIT_LE] });
  }
  return [...exact.values(), ...fallback.values()].slice(0, MAX_CONTEXTS);
}

export interface SubAssociationOptions {
  readonly host: string;
  readonly port: number;
  readonly callingAeTitle: string;
  readonly calledAeTitle: string;
  readonly locations: readonly InstanceLocation[];
  readonly maxPdu: number;
  readonly idleTimeoutMs: number;
}

export interface SubAssociation extends StoreChannel {
  release(): Promise<void>;
}

const REJECT_REASONS: Readonly<Record<number, string>> = {
  [RejectReason.CalledAeNotRecognized]: 'called AE title not recognized',
  [RejectReason.CallingAeNotRecognized]: 'calling AE title not recognized',
};

/** Connects (TCP_NODELAY on) and negotiates; rejects with a reason fit for an Error Comment. */
export function openSubAssociation(options: SubAssociationOptions): Promise<SubAssociation> {
  const socket = net.connect({ host: options.host, port: options.port, noDelay: true });
  socket.setNoDelay(true);
  const network = new StoreRequester(socket, {
    connectTimeout: options.idleTimeoutMs,
    pduTimeout: 2 ** 31 - 1,
  });
  const association: Association = new Association(options.callingAeTitle, options.calledAeTitle);
  association.setMaxPduLength(options.maxPdu);
  for (const { sopClass, syntaxes } of proposedContexts(options.locations)) {
    const id = association.addPresentationContext(sopClass);
    for (const ts of syntaxes) association.addTransferSyntaxToPresentationContext(id, ts);
  }
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  network.on('networkError', () => socket.destroy());
  network.on('connect', () => network.sendAssociationRequest(association));
  return new Promise<SubAssociation>((resolve, reject) => {
    network.on('associationAccepted', () =>
      resolve({
        association,
        closed,
        send: (request) => network.sendRequests(request),
        release: () => release(network, socket, closed),
      }),
    );
    network.on('associationRejected', ({ reason }: { reason: number }) => {
      socket.end();
      reject(new Error(`association rejected: ${REJECT_REASONS[reason] ?? `reason ${reason}`}`));
    });
    void closed.then(() => reject(new Error('connection closed before the association was accepted')));
  });
}

/** A-RELEASE (PS3.8 §7.2), then the connection closes; a peer that does not answer is cut off. */
async function release(network: StoreRequester, socket: net.Socket, closed: Promise<void>): Promise<void> {
  if (socket.destroyed) return;
  const answered = new Promise<void>((resolve) => network.on('associationReleaseResponse', () => resolve()));
  network.sendAssociationReleaseRequest();
  const timer = setTimeout(() => socket.destroy(), 10_000);
  await Promise.race([answered, closed]);
  socket.end();
  await closed;
  clearTimeout(timer);
}
