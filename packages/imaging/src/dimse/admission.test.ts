import { describe, expect, it } from 'vitest';
import { admit, isValidAeTitle, plainAddress } from './admission.ts';
import type { DimsePeer } from './types.ts';

const ct: DimsePeer = { aeTitle: 'CT01', host: '10.0.0.5', port: 104, organization: 'org-a' };
const rules = {
  aeTitle: 'YIYUN',
  peers: new Map([[ct.aeTitle, ct]]),
  acceptUnknownPeers: false,
  verifyPeerHost: false,
};
const from = (calling: string, called = 'YIYUN', remoteAddress = '10.0.0.5') => ({
  callingAeTitle: calling,
  calledAeTitle: called,
  remoteAddress,
});

describe('association admission (PS3.8 §7.1.1.8)', () => {
  it('admits a registered peer calling us', async () => {
    expect(await admit(rules, from('CT01 '))).toEqual({ admitted: true, peer: ct, known: true });
  });

  it('rejects another called AE title and an unknown calling AE title', async () => {
    expect(await admit(rules, from('CT01', 'PACS'))).toMatchObject({ admitted: false, reason: 'called-ae' });
    expect(await admit(rules, from('MR02'))).toMatchObject({ admitted: false, reason: 'calling-ae' });
  });

  it('admits unknown peers only when asked to, as an institution-less peer', async () => {
    expect(await admit({ ...rules, acceptUnknownPeers: true }, from('MR02', 'YIYUN', '10.0.0.9'))).toEqual({
      admitted: true,
      known: false,
      peer: { aeTitle: 'MR02', host: '10.0.0.9', port: 0, organization: '' },
    });
  });

  it('checks the registered host when asked to', async () => {
    const strict = { ...rules, verifyPeerHost: true };
    expect(await admit(strict, from('CT01', 'YIYUN', '10.0.0.5'))).toMatchObject({ admitted: true });
    expect(await admit(strict, from('CT01', 'YIYUN', '10.0.0.6'))).toMatchObject({
      admitted: false,
      reason: 'host',
    });
  });

  it('knows AE titles and IPv4-mapped addresses', () => {
    expect(isValidAeTitle('YIYUN')).toBe(true);
    expect(isValidAeTitle('A'.repeat(17))).toBe(false);
    expect(isValidAeTitle('A\\B')).toBe(false);
    expect(plainAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });
});
