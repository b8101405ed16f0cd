import dimse from 'dcmjs-dimse';
import { isValidUid, transferSyntaxOf } from '../dicom/index.ts';

/**
 * Presentation context negotiation (PS3.8 §9.3.2.2, PS3.7 Annex D.3.3.4): which abstract syntaxes we
 * accept and in which transfer syntax. A pure decision over what the SCU proposed.
 */
export const VERIFICATION = '1.2.840.10008.1.1';
export const PATIENT_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.1.1';
export const PATIENT_ROOT_MOVE = '1.2.840.10008.5.1.4.1.2.1.2';
export const PATIENT_ROOT_GET = '1.2.840.10008.5.1.4.1.2.1.3';
export const STUDY_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.2.1';
export const STUDY_ROOT_MOVE = '1.2.840.10008.5.1.4.1.2.2.2';
export const STUDY_ROOT_GET = '1.2.840.10008.5.1.4.1.2.2.3';

export const IMPLICIT_LE = '1.2.840.10008.1.2';
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const EXPLICIT_BE = '1.2.840.10008.1.2.2';

const QUERY_RETRIEVE = new Set([
  PATIENT_ROOT_FIND,
  PATIENT_ROOT_MOVE,
  PATIENT_ROOT_GET,
  STUDY_ROOT_FIND,
  STUDY_ROOT_MOVE,
  STUDY_ROOT_GET,
]);
/** Command-style services carry small identifiers: the uncompressed syntaxes only (PS3.5 §10). */
const UNCOMPRESSED = new Set([EXPLICIT_LE, IMPLICIT_LE, EXPLICIT_BE]);
/** The Storage Service Class arc (PS3.4 Annex B.5): every standard storage SOP class is below it. */
const STORAGE_ARC = '1.2.840.10008.5.1.4.1.1.';
const DICOM_ROOT = '1.2.840.10008.';
const KNOWN_STORAGE = new Set<string>(Object.values(dimse.constants.StorageClass));

export type ServiceKind = 'verification' | 'query-retrieve' | 'storage';

export interface ProposedContext {
  readonly id: number;
  readonly abstractSyntax: string;
  readonly transferSyntaxes: readonly string[];
}

export type ContextDecision =
  | {
      readonly id: number;
      readonly accept: true;
      readonly kind: ServiceKind;
      readonly transferSyntax: string;
    }
  | { readonly id: number; readonly accept: false; readonly reason: 'abstract-syntax' | 'transfer-syntax' };

/**
 * The service an abstract syntax belongs to, or undefined when we do not offer it. Storage SOP
 * classes unknown to dcmjs-dimse (newer standard ones, vendors' private ones) are storage too: the
 * SCP keeps whatever arrives. Other standard services (worklist, MPPS, commitment, print …) are not
 * offered.
 */
export function serviceOf(abstractSyntax: string): ServiceKind | undefined {
  if (abstractSyntax === VERIFICATION) return 'verification';
  if (QUERY_RETRIEVE.has(abstractSyntax)) return 'query-retrieve';
  if (KNOWN_STORAGE.has(abstractSyntax) || abstractSyntax.startsWith(STORAGE_ARC)) return 'storage';
  if (!abstractSyntax.startsWith(DICOM_ROOT) && isValidUid(abstractSyntax)) return 'storage';
  return undefined;
}

/** The transfer syntaxes a service accepts: storage keeps every syntax the platform can store. */
function acceptable(kind: ServiceKind, transferSyntax: string): boolean {
  if (kind !== 'storage') return UNCOMPRESSED.has(transferSyntax);
  return transferSyntaxOf(transferSyntax) !== undefined;
}

/**
 * Accepts the SCU's first proposed syntax that we support: the SCU lists its preference first, and
 * for storage that is usually the syntax its file is in, so nothing is converted on the way.
 */
export function decideContext(context: ProposedContext): ContextDecision {
  const kind = serviceOf(context.abstractSyntax);
  if (!kind) return { id: context.id, accept: false, reason: 'abstract-syntax' };
  const transferSyntax = context.transferSyntaxes.find((ts) => acceptable(kind, ts));
  if (!transferSyntax) return { id: context.id, accept: false, reason: 'transfer-syntax' };
  return { id: context.id, accept: true, kind, transferSyntax };
}

/** Q/R information model and operation of an abstract syntax (PS3.4 §C.6). */
export function queryRetrieveModel(abstractSyntax: string): 'patient' | 'study' | undefined {
  if (abstractSyntax.startsWith('1.2.840.10008.5.1.4.1.2.1.')) return 'patient';
  if (abstractSyntax.startsWith('1.2.840.10008.5.1.4.1.2.2.')) return 'study';
  return undefined;
}

export function isUncompressed(transferSyntax: string): boolean {
  return UNCOMPRESSED.has(transferSyntax);
}
