import type { Bundle } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import { requireResource } from '../http/resource-body.ts';
import { processBatch } from '../transaction/batch.ts';
import { processTransaction } from '../transaction/transaction.ts';
import type { FhirContext, FhirHandler, FhirRequest, FhirResponse } from '../types.ts';

/** `POST [base]` with a `batch` or `transaction` Bundle (http://hl7.org/fhir/R4/http.html#transaction). */
export async function processBundle(
  req: FhirRequest,
  ctx: FhirContext,
  route: FhirHandler,
): Promise<FhirResponse> {
  const bundle = requireResource(req.body, 'Bundle') as Bundle;
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) {
    throw new AppError('invalid', 'Bundle.entry must be an array');
  }
  if (bundle.type === 'transaction') return processTransaction(bundle, req, ctx, route);
  if (bundle.type === 'batch') return processBatch(bundle, req, ctx, route);
  throw new AppError('invalid', 'Only batch and transaction Bundles can be posted to the base');
}
