import { describe, expect, it } from 'vitest';
import { decodeHeader, encodeHeader, HEADER_SIZE, Layout, TAG_SIZE } from './format.ts';
import { IntegrityError } from './port.ts';

describe('header', () => {
  it('round-trips and has the documented layout', () => {
    const header = encodeHeader({ suite: 'sm4-ctr-hmac-sm3', chunkSize: 65536, plainLength: 2 ** 40 + 5 });
    expect(header.length).toBe(HEADER_SIZE);
    expect(header.subarray(0, 4).toString('ascii')).toBe('YYEC');
    expect([header[4], header[5]]).toEqual([1, 2]);
    expect(decodeHeader(header)).toEqual({
      suite: 'sm4-ctr-hmac-sm3',
      chunkSize: 65536,
      plainLength: 2 ** 40 + 5,
    });
  });

  it('rejects anything that is not our header as an integrity failure', () => {
    const good = encodeHeader({ suite: 'aes-256-gcm', chunkSize: 64, plainLength: 1 });
    const with_ = (at: number, value: number) => {
      const copy = Buffer.from(good);
      copy[at] = value;
      return copy;
    };
    for (const bad of [
      good.subarray(0, 19),
      with_(0, 0x41),
      with_(4, 2),
      with_(5, 9),
      with_(6, 1),
      with_(8, 0xff),
    ]) {
      expect(() => decodeHeader(bad)).toThrow(IntegrityError);
    }
  });
});

describe('Layout', () => {
  it('counts at least one chunk and sizes the stored object', () => {
    expect(new Layout(64, 0).chunkCount).toBe(1);
    expect(new Layout(64, 0).storedLength).toBe(HEADER_SIZE + TAG_SIZE);
    expect(new Layout(64, 64).chunkCount).toBe(1);
    expect(new Layout(64, 65).chunkCount).toBe(2);
    expect(new Layout(64, 65).plainLengthOf(1)).toBe(1);
    expect(new Layout(64, 224).storedLength).toBe(HEADER_SIZE + 224 + 4 * TAG_SIZE);
  });

  it('covers a range with exactly the chunks it touches', () => {
    const layout = new Layout(64, 224);
    const step = 64 + TAG_SIZE;
    expect(layout.cover({ start: 0, end: 1 })).toEqual({
      first: 0,
      last: 0,
      stored: { start: 20, end: 20 + step },
    });
    expect(layout.cover({ start: 63, end: 65 })).toMatchObject({ first: 0, last: 1 });
    expect(layout.cover({ start: 64, end: 128 })).toEqual({
      first: 1,
      last: 1,
      stored: { start: 20 + step, end: 20 + 2 * step },
    });
    expect(layout.cover({ start: 200, end: 224 }).stored).toEqual({
      start: 20 + 3 * step,
      end: layout.storedLength,
    });
    expect(layout.cover({ start: 224, end: 224 })).toMatchObject({ last: 2 });
  });
});
