import { describe, expect, it } from 'vitest';
import {
  decideContext,
  EXPLICIT_BE,
  EXPLICIT_LE,
  IMPLICIT_LE,
  STUDY_ROOT_FIND,
  serviceOf,
} from './negotiation.ts';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const J2K = '1.2.840.10008.1.2.4.90';
const DEFLATED = '1.2.840.10008.1.2.1.99';

describe('presentation context negotiation (PS3.8 §9.3.2.2)', () => {
  it('offers verification, Q/R and storage, including storage classes dcmjs-dimse does not list', () => {
    expect(serviceOf('1.2.840.10008.1.1')).toBe('verification');
    expect(serviceOf(STUDY_ROOT_FIND)).toBe('query-retrieve');
    expect(serviceOf(CT)).toBe('storage');
    expect(serviceOf('1.2.840.10008.5.1.4.1.1.77.1.6')).toBe('storage'); // VL Whole Slide Microscopy
    expect(serviceOf('1.3.12.2.1107.5.9.1')).toBe('storage'); // a vendor's private SOP class
    expect(serviceOf('1.2.840.10008.5.1.4.31')).toBeUndefined(); // Modality Worklist: not offered
    expect(serviceOf('1.2.840.10008.3.1.2.3.3')).toBeUndefined(); // MPPS
  });

  it("accepts the SCU's first proposed syntax we support, so storage keeps the bytes as sent", () => {
    expect(decideContext({ id: 1, abstractSyntax: CT, transferSyntaxes: [J2K, EXPLICIT_LE] })).toEqual({
      id: 1,
      accept: true,
      kind: 'storage',
      transferSyntax: J2K,
    });
    expect(decideContext({ id: 3, abstractSyntax: CT, transferSyntaxes: [DEFLATED] })).toMatchObject({
      transferSyntax: DEFLATED,
    });
    expect(
      decideContext({ id: 5, abstractSyntax: CT, transferSyntaxes: [EXPLICIT_BE, IMPLICIT_LE] }),
    ).toMatchObject({
      transferSyntax: EXPLICIT_BE,
    });
  });

  it('keeps Q/R identifiers uncompressed and rejects what it cannot take, with the reason', () => {
    expect(
      decideContext({ id: 1, abstractSyntax: STUDY_ROOT_FIND, transferSyntaxes: [DEFLATED, IMPLICIT_LE] }),
    ).toMatchObject({
      accept: true,
      transferSyntax: IMPLICIT_LE,
    });
    expect(
      decideContext({ id: 3, abstractSyntax: CT, transferSyntaxes: ['1.2.840.10008.1.2.4.100'] }),
    ).toEqual({
      id: 3,
      accept: false,
      reason: 'transfer-syntax',
    });
    expect(
      decideContext({ id: 5, abstractSyntax: '1.2.840.10008.5.1.4.31', transferSyntaxes: [IMPLICIT_LE] }),
    ).toEqual({
      id: 5,
      accept: false,
      reason: 'abstract-syntax',
    });
  });
});
