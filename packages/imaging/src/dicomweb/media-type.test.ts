import { describe, expect, it } from 'vitest';
import {
  contentTypeOf,
  MIXED_TRANSFER_SYNTAXES,
  negotiate,
  type Offer,
  parseAccept,
  parseMediaType,
} from './media-type.ts';

const JPEG = '1.2.840.10008.1.2.4.50';
const dicom = (transferSyntax = JPEG): Offer => ({
  multipart: true,
  type: 'application/dicom',
  transferSyntax,
});
const single = (transferSyntax = JPEG): Offer => ({
  multipart: false,
  type: 'application/dicom',
  transferSyntax,
});

describe('parseMediaType', () => {
  it('reads type, subtype and (quoted) parameters, keeping value case', () => {
    const m = parseMediaType('Multipart/Related; type="application/dicom"; boundary="Ab;c=d"');
    expect(m?.essence).toBe('multipart/related');
    expect(m?.params.get('type')).toBe('application/dicom');
    expect(m?.params.get('boundary')).toBe('Ab;c=d');
  });

  it('refuses malformed types', () => {
    expect(parseMediaType('dicom')).toBeUndefined();
    expect(parseMediaType('a/b/c')).toBeUndefined();
    expect(parseMediaType('application/dicom; =x')).toBeUndefined();
  });
});

describe('parseAccept', () => {
  it('orders by q, then specificity, then position, and drops malformed ranges', () => {
    const ranges = parseAccept('*/*;q=0.1, image/png;q=0.5, bogus, image/jpeg, image/*;q=0.5, x/y;q=2');
    expect(ranges.map((r) => `${r.essence} ${r.q}`)).toEqual([
      'image/jpeg 1',
      'image/png 0.5',
      'image/* 0.5',
      '*/* 0.1',
    ]);
  });

  it('does not split on commas inside quoted parameters', () => {
    const ranges = parseAccept(
      'multipart/related; type="application/dicom"; transfer-syntax="1.2,3", application/json',
    );
    expect(ranges).toHaveLength(2);
    expect(ranges[0]!.params.get('transfer-syntax')).toBe('1.2,3');
  });
});

describe('negotiate', () => {
  const accept = (header: string) => parseAccept(header);

  it('takes the first offer without Accept or with */*', () => {
    expect(negotiate([], [dicom(), single()])).toEqual(dicom());
    expect(negotiate(accept('*/*'), [dicom(), single()])).toEqual(dicom());
  });

  it('matches multipart ranges on their type parameter and single-part ranges on the type', () => {
    const offers = [dicom(), single()];
    expect(negotiate(accept('multipart/related; type="application/dicom"'), offers)).toEqual(dicom());
    expect(negotiate(accept('multipart/related; type=application/dicom'), offers)).toEqual(dicom());
    expect(negotiate(accept('application/dicom'), offers)).toEqual(single());
    expect(negotiate(accept('multipart/related; type="application/octet-stream"'), offers)).toBeUndefined();
    expect(
      negotiate(accept('multipart/related; type="image/*"'), [{ multipart: true, type: 'image/jpeg' }]),
    ).toBeDefined();
  });

  it('accepts transfer-syntax=*, none, or the stored one, and nothing else (no transcoding)', () => {
    const offers = [dicom()];
    expect(
      negotiate(accept('multipart/related; type="application/dicom"; transfer-syntax=*'), offers),
    ).toBeDefined();
    expect(
      negotiate(accept(`multipart/related; type="application/dicom"; transfer-syntax=${JPEG}`), offers),
    ).toBeDefined();
    expect(
      negotiate(
        accept('multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.1'),
        offers,
      ),
    ).toBeUndefined();
    const mixed = [dicom(MIXED_TRANSFER_SYNTAXES)];
    expect(
      negotiate(accept(`multipart/related; type="application/dicom"; transfer-syntax=${JPEG}`), mixed),
    ).toBeUndefined();
    expect(
      negotiate(accept('multipart/related; type="application/dicom"; transfer-syntax=*'), mixed),
    ).toBeDefined();
  });

  it('honours q-values, including q=0 as not acceptable', () => {
    const offers: Offer[] = [
      { multipart: false, type: 'image/jpeg' },
      { multipart: false, type: 'image/png' },
    ];
    expect(negotiate(accept('image/jpeg;q=0.4, image/png;q=0.9'), offers)?.type).toBe('image/png');
    expect(negotiate(accept('image/jpeg;q=0'), offers)).toBeUndefined();
    expect(negotiate(accept('image/gif, image/*;q=0.2'), offers)?.type).toBe('image/jpeg');
  });

  it('labels answers with the transfer syntax and boundary', () => {
    expect(contentTypeOf(dicom(), 'bnd')).toBe(
      `multipart/related; type="application/dicom"; transfer-syntax=${JPEG}; boundary=bnd`,
    );
    expect(contentTypeOf(dicom(MIXED_TRANSFER_SYNTAXES), 'bnd')).toBe(
      'multipart/related; type="application/dicom"; boundary=bnd',
    );
    expect(contentTypeOf({ multipart: false, type: 'image/png' })).toBe('image/png');
  });
});
