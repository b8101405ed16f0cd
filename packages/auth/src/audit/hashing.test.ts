import { describe, expect, it } from 'vitest';
import { batchHash, GENESIS_HASH, hash, leafHash, merkleRoot } from './hashing.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// RFC 6962 reference entries and tree heads (as used by Certificate Transparency's test suites).
const ENTRIES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('merkleRoot', () => {
  it('matches the RFC 6962 tree heads for 0 to 8 entries', () => {
    const leaves = ENTRIES.map((e) => hash('sha256', Buffer.of(0), Buffer.from(e, 'hex')));
    for (let n = 0; n <= leaves.length; n++)
      expect(hex(merkleRoot('sha256', leaves.slice(0, n))), `n=${n}`).toBe(ROOTS[n]);
  });

  it('changes when two leaves swap places', () => {
    const leaves = [1, 2, 3].map((i) => hash('sha256', Buffer.of(i)));
    const swapped = [leaves[1]!, leaves[0]!, leaves[2]!];
    expect(merkleRoot('sha256', swapped).equals(merkleRoot('sha256', leaves))).toBe(false);
  });
});

describe('SM3', () => {
  it('is GB/T 32905-2016 SM3 (the standard\'s "abc" example)', () => {
    expect(hex(hash('sm3', Buffer.from('abc')))).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
  });
});

describe('leafHash', () => {
  const digest = hash('sha256', Buffer.from('content'));

  it('binds the seq: the same content at another seq is another leaf', () => {
    expect(leafHash('sha256', digest, 7).equals(leafHash('sha256', digest, 8))).toBe(false);
  });

  it('differs between SHA-256 and SM3', () => {
    expect(leafHash('sm3', digest, 7).equals(leafHash('sha256', digest, 7))).toBe(false);
  });
});

describe('batchHash', () => {
  const header = {
    prevHash: GENESIS_HASH,
    root: hash('sha256'),
    firstSeq: 1,
    lastSeq: 10,
    count: 10,
    algorithm: 'sha256' as const,
  };

  it('covers every header field', () => {
    const base = batchHash(header);
    for (const changed of [
      { ...header, prevHash: hash('sha256', Buffer.of(1)) },
      { ...header, root: hash('sha256', Buffer.of(2)) },
      { ...header, firstSeq: 2 },
      { ...header, lastSeq: 11 },
      { ...header, count: 9 },
    ])
      expect(batchHash(changed).equals(base)).toBe(false);
  });
});
