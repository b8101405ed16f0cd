import { AppError } from '@yiyun/fhir';
import { SUPPORTED_TRANSFER_SYNTAXES_SUMMARY } from './transfer-syntax.ts';

/**
 * Error constructors for Part 10 input. The codes follow the one AppError table; `status.ts` maps them
 * to DICOM status codes. The `expression` of the issue tells which attribute was refused, so an
 * `unsupported` error can become 0xC122 (transfer syntax) or 0x0122 (SOP class) without parsing the
 * message (PS3.18 §10.5.3, PS3.4 Annex B.2.3).
 */
export function invalidDicom(message: string): AppError {
  return new AppError('invalid', message);
}

export function tooLargeDicom(message: string): AppError {
  return new AppError('too-large', message);
}

export function transferSyntaxNotSupported(uid: string): AppError {
  const message = `transfer syntax ${uid} is not supported; supported: ${SUPPORTED_TRANSFER_SYNTAXES_SUMMARY}`;
  return new AppError('unsupported', message, {
    issues: [
      { severity: 'error', code: 'not-supported', diagnostics: message, expression: ['TransferSyntaxUID'] },
    ],
  });
}

export function sopClassNotSupported(uid: string, why: string): AppError {
  const message = `SOP class ${uid} is not supported: ${why}`;
  return new AppError('unsupported', message, {
    issues: [{ severity: 'error', code: 'not-supported', diagnostics: message, expression: ['SOPClassUID'] }],
  });
}
