import dimse from 'dcmjs-dimse';
import { decompressPart10 } from '../pixels/index.ts';
import type { ImagingService, InstanceLocation } from '../service/port.ts';
import { isUncompressed } from './negotiation.ts';
import { part10Dataset } from './part10.ts';
import { RawDataset } from './raw-dataset.ts';
import { Status, statusClass } from './status-codes.ts';
import type { DimseLogger } from './types.ts';

const { CStoreRequest } = dimse.requests;
type CStoreRequest = InstanceType<typeof CStoreRequest>;
type Association = InstanceType<typeof dimse.association.Association>;

/**
 * C-STORE sub-operations of a C-MOVE (on a sub-association to the destination) or a C-GET (on the
 * SCU's own association), PS3.4 §C.4.2.3 / §C.4.3.3: one instance at a time, each sent as the bytes it
 * is stored in, with the counts reported after each (PS3.7 §9.3.4.2 Pending responses).
 */
export interface SubOperationCounts {
  readonly remaining: number;
  readonly completed: number;
  readonly failed: number;
  readonly warning: number;
}

/** Where the C-STOREs go: an association and a way to send a request on it. */
export interface StoreChannel {
  readonly association: Association;
  send(request: CStoreRequest): void;
  /** Settles when the connection is gone (no response will come). */
  readonly closed: Promise<void>;
}

export interface SubOperationRun {
  readonly channel: StoreChannel;
  readonly service: ImagingService;
  readonly locations: readonly InstanceLocation[];
  /** Instances that are counted as failed without being sent (e.g. not visible to the destination). */
  readonly refused?: readonly InstanceLocation[];
  readonly signal: AbortSignal;
  readonly logger: DimseLogger;
  /** PS3.7 §9.1.1.1: a C-MOVE's C-STOREs name the AE and message that asked for them. */
  readonly moveOriginator?: { readonly aeTitle: string; readonly messageId: number };
  onProgress(counts: SubOperationCounts): void;
}

export interface SubOperationResult {
  readonly counts: SubOperationCounts;
  readonly failedSopInstanceUids: readonly string[];
  readonly cancelled: boolean;
}

const FAILED = -1;

function requestFor(location: InstanceLocation, raw: RawDataset, run: SubOperationRun): CStoreRequest {
  const request = new CStoreRequest(raw);
  request.setAffectedSopClassUid(location.sopClassUid);
  request.setAffectedSopInstanceUid(location.sopInstanceUid);
  if (run.moveOriginator) {
    const command = request.getCommandDataset();
    command.setElement('MoveOriginatorApplicationEntityTitle', run.moveOriginator.aeTitle);
    command.setElement('MoveOriginatorMessageID', run.moveOriginator.messageId as unknown as string);
  }
  return request;
}

/**
 * The request for one instance as the peer accepted it: the stored bytes, or, when the peer accepted
 * only uncompressed syntaxes for an instance stored encapsulated, its pixel data decoded (dcmjs-dimse
 * converts between uncompressed syntaxes itself). Undefined when the peer accepted no context for it.
 */
async function requestAsAccepted(
  location: InstanceLocation,
  run: SubOperationRun,
): Promise<CStoreRequest | undefined> {
  const part10 = await run.service.read(location);
  const stored = part10Dataset(part10);
  const request = requestFor(location, new RawDataset(stored.dataset, stored.transferSyntaxUid), run);
  const context = run.channel.association.getAcceptedPresentationContextFromRequest(request);
  if (!context) return undefined;
  const accepted = context.getAcceptedTransferSyntaxUid();
  if (accepted === stored.transferSyntaxUid || isUncompressed(stored.transferSyntaxUid)) return request;
  const native = part10Dataset(await decompressPart10(part10));
  return requestFor(location, new RawDataset(native.dataset, native.transferSyntaxUid), run);
}

/** Sends one instance; its C-STORE status, or FAILED when it could not be sent or answered. */
async function storeOne(location: InstanceLocation, run: SubOperationRun): Promise<number> {
  let request: CStoreRequest | undefined;
  try {
    request = await requestAsAccepted(location, run);
  } catch (err) {
    run.logger.warn(
      { err, sopClass: location.sopClassUid },
      'dimse sub-operation could not read or decode the instance',
    );
    return FAILED;
  }
  // No context for this SOP class: dcmjs-dimse would skip the request silently and never answer.
  if (!request) {
    const fields = { sopClass: location.sopClassUid, transferSyntax: location.transferSyntaxUid };
    run.logger.warn(fields, 'dimse sub-operation has no accepted presentation context');
    return FAILED;
  }
  const raw = request.getDataset() as RawDataset;
  try {
    return await new Promise<number>((resolve) => {
      let status = FAILED;
      request.on('response', (response: { getStatus(): number }) => {
        status = response.getStatus();
      });
      // `done` also comes without a response when dcmjs-dimse could not transcode the dataset.
      request.on('done', () => resolve(status));
      void run.channel.closed.then(() => resolve(FAILED));
      run.channel.send(request);
    });
  } finally {
    raw.release();
  }
}

export async function runSubOperations(run: SubOperationRun): Promise<SubOperationResult> {
  const refused = run.refused ?? [];
  const failedSopInstanceUids = refused.map((l) => l.sopInstanceUid);
  let completed = 0;
  let warning = 0;
  let failed = refused.length;
  let remaining = run.locations.length;
  for (const location of run.locations) {
    if (run.signal.aborted) break;
    const status = await storeOne(location, run);
    remaining -= 1;
    const kind = status === FAILED ? 'failure' : statusClass(status);
    if (kind === 'success') completed += 1;
    else if (kind === 'warning') warning += 1;
    else {
      failed += 1;
      failedSopInstanceUids.push(location.sopInstanceUid);
    }
    if (remaining > 0) run.onProgress({ remaining, completed, failed, warning });
  }
  return {
    counts: { remaining, completed, failed, warning },
    failedSopInstanceUids,
    cancelled: run.signal.aborted && remaining > 0,
  };
}

/** The final status of a C-MOVE / C-GET (PS3.4 Table C.4-3 / C.4-4). */
export function finalStatus(result: SubOperationResult): number {
  const { completed, failed, warning } = result.counts;
  if (result.cancelled) return Status.cancel;
  if (failed === 0 && warning === 0) return Status.success;
  if (completed === 0 && warning === 0) return Status.unableToPerformSubOperations;
  return Status.warning;
}
