import { describe, expect, it } from 'vitest';
import { addressBucket } from './client-address.ts';

describe('addressBucket', () => {
  it('keeps IPv4 addresses and unwraps IPv4-mapped IPv6', () => {
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket(' 127.0.0.1 ')).toBe('127.0.0.1');
  });

  it('puts every IPv6 address of one /64 into one bucket', () => {
    const a = addressBucket('2001:db8:85a3:0:1111:2222:3333:4444');
    expect(a).toBe('2001:db8:85a3:0::/64');
    expect(addressBucket('2001:0DB8:85A3::9')).toBe(a);
    expect(addressBucket('[2001:db8:85a3::1%eth0]')).toBe(a);
    expect(addressBucket('2001:db8:85a4::1')).not.toBe(a);
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
  });

  it('shares one bucket for anything that is not an address', () => {
    expect(addressBucket('')).toBe('unknown');
    expect(addressBucket('not-an-ip')).toBe('unknown');
  });
});
