import dimse from 'dcmjs-dimse';
import type { RetrieveAnswer } from './retrieve.ts';
import { Status } from './status-codes.ts';
import type { SubOperationCounts } from './sub-operations.ts';

const { Dataset } = dimse;
const { CFindResponse, CGetResponse, CMoveResponse } = dimse.responses;
type CFindRequest = InstanceType<typeof dimse.requests.CFindRequest>;
type CMoveRequest = InstanceType<typeof dimse.requests.CMoveRequest>;
type CGetRequest = InstanceType<typeof dimse.requests.CGetRequest>;
export type CFindResponse = InstanceType<typeof CFindResponse>;
export type RetrieveResponse = InstanceType<typeof CMoveResponse> | InstanceType<typeof CGetResponse>;

/**
 * DIMSE responses (PS3.7 §9.1.2.1, §9.1.3.1, §9.1.4.1). dcmjs-dimse's `fromRequest` always names the
 * Study Root SOP class; the response must carry the request's Affected SOP Class UID (PS3.7 Table 9.1-2).
 */
export function findResponse(
  request: CFindRequest,
  status: number,
  identifier?: Record<string, unknown>,
  comment?: string,
): CFindResponse {
  const response = CFindResponse.fromRequest(request);
  response.setAffectedSopClassUid(request.getAffectedSopClassUid());
  response.setStatus(status);
  if (identifier) response.setDataset(new Dataset(identifier));
  if (comment) response.setErrorComment(comment);
  return response;
}

function setCounts(response: RetrieveResponse, counts: SubOperationCounts, withRemaining: boolean): void {
  // PS3.7 Table 9.3-6: Remaining only in Pending (and Cancel) responses.
  if (withRemaining) response.setRemaining(counts.remaining);
  response.setCompleted(counts.completed);
  response.setFailures(counts.failed);
  response.setWarnings(counts.warning);
}

export function retrievePending(
  request: CMoveRequest | CGetRequest,
  counts: SubOperationCounts,
): RetrieveResponse {
  const response = emptyRetrieveResponse(request);
  response.setStatus(Status.pending);
  setCounts(response, counts, true);
  return response;
}

export function retrieveFinal(request: CMoveRequest | CGetRequest, answer: RetrieveAnswer): RetrieveResponse {
  const response = emptyRetrieveResponse(request);
  response.setStatus(answer.status);
  if (answer.counts) setCounts(response, answer.counts, answer.status === Status.cancel);
  if (answer.comment) response.setErrorComment(answer.comment);
  if (answer.failedSopInstanceUids && answer.failedSopInstanceUids.length > 0) {
    const uids = answer.failedSopInstanceUids;
    response.setDataset(new Dataset({ FailedSOPInstanceUIDList: uids.length === 1 ? uids[0] : [...uids] }));
  }
  return response;
}

function emptyRetrieveResponse(request: CMoveRequest | CGetRequest): RetrieveResponse {
  const response =
    request instanceof dimse.requests.CMoveRequest
      ? CMoveResponse.fromRequest(request)
      : CGetResponse.fromRequest(request as CGetRequest);
  response.setAffectedSopClassUid(request.getAffectedSopClassUid());
  return response;
}
