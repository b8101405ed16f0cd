import type { AuditLog, Authorization } from '@yiyun/auth';
import { isAppError } from '@yiyun/fhir';
import type { FhirInterceptor } from '../fhir/types.ts';
import { auditRecordFor, type RequestOrigin } from './audit-record.ts';
import { assertAllowed } from './guard.ts';
import { classify } from './interaction.ts';

/**
 * Access checks and audit around every FHIR interaction of one request (each bundle entry too).
 * The audit event is durable before the response leaves (group-committed, so this costs one
 * shared INSERT under load); a denied or failed call is audited as well.
 */
export function accessInterceptor(options: {
  readonly authorization: Authorization;
  readonly audit?: Pick<AuditLog, 'record'>;
  readonly origin: RequestOrigin;
}): FhirInterceptor {
  const { authorization, audit, origin } = options;
  const principal = authorization.principal;
  return async (req, next) => {
    const classified = classify(req);
    const record = async (status: number, response?: Awaited<ReturnType<typeof next>>, denied = false) => {
      // `/metadata` is public discovery: the only interaction not audited.
      if (!audit || (classified.interaction === 'none' && !classified.operation)) return;
      await audit.record(auditRecordFor({ req, classified, principal, origin, status, response, denied }));
    };
    try {
      assertAllowed(req, classified, authorization);
    } catch (err) {
      await record(isAppError(err) ? err.status : 500, undefined, true);
      throw err;
    }
    let response: Awaited<ReturnType<typeof next>>;
    try {
      response = await next();
    } catch (err) {
      await record(isAppError(err) ? err.status : 500);
      throw err;
    }
    await record(response.status, response);
    return response;
  };
}
