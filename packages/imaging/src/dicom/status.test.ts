import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { sopClassNotSupported, transferSyntaxNotSupported } from './errors.ts';
import { dicomStatusOf } from './status.ts';

describe('dicomStatusOf', () => {
  it('maps AppError codes to DICOM status, keeping their message as reason', () => {
    expect(dicomStatusOf(new AppError('invalid', 'truncated: x'))).toEqual({
      status: 0xc000,
      reason: 'truncated: x',
    });
    expect(dicomStatusOf(transferSyntaxNotSupported('1.2.3')).status).toBe(0xc122);
    expect(dicomStatusOf(sopClassNotSupported('1.2.840.10008.1.3.10', 'DICOMDIR')).status).toBe(0x0122);
    expect(dicomStatusOf(new AppError('unsupported', 'SOP class not accepted')).status).toBe(0x0122);
    expect(dicomStatusOf(new AppError('conflict', 'Study Instance UID does not match')).status).toBe(0xa900);
    expect(dicomStatusOf(new AppError('too-large', 'over the limit')).status).toBe(0xa700);
    expect(dicomStatusOf(new AppError('forbidden', 'not yours')).status).toBe(0x0124);
  });

  it('never echoes internal errors or non-AppErrors', () => {
    expect(dicomStatusOf(new Error('ECONNREFUSED 10.0.0.5:5432'))).toEqual({
      status: 0x0110,
      reason: 'Processing failure',
    });
    expect(dicomStatusOf(new AppError('internal', 'disk /var/x failed'))).toEqual({
      status: 0x0110,
      reason: 'Processing failure',
    });
    expect(dicomStatusOf('boom')).toEqual({ status: 0x0110, reason: 'Processing failure' });
  });
});
