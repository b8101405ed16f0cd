import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DimsePeer } from './types.ts';

/**
 * Who may open an association (PS3.8 §7.1.1.8 A-ASSOCIATE-RJ reasons): the called AE title must be
 * ours and the calling AE title a registered peer, optionally calling from its registered host.
 */
export type Admission =
  | { readonly admitted: true; readonly peer: DimsePeer; readonly known: boolean }
  | {
      readonly admitted: false;
      readonly reason: 'called-ae' | 'calling-ae' | 'host';
      readonly message: string;
    };

export interface AdmissionRules {
  readonly aeTitle: string;
  readonly peers: ReadonlyMap<string, DimsePeer>;
  readonly acceptUnknownPeers: boolean;
  readonly verifyPeerHost: boolean;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`: an IPv4 client on a dual-stack socket. */
export function plainAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

async function hostMatches(host: string, address: string): Promise<boolean> {
  if (isIP(host)) return plainAddress(host) === address;
  try {
    const addresses = await lookup(host, { all: true });
    return addresses.some((a) => plainAddress(a.address) === address);
  } catch {
    return false;
  }
}

export async function admit(
  rules: AdmissionRules,
  association: {
    readonly calledAeTitle: string;
    readonly callingAeTitle: string;
    readonly remoteAddress: string;
  },
): Promise<Admission> {
  const called = association.calledAeTitle.trim();
  const calling = association.callingAeTitle.trim();
  if (called !== rules.aeTitle) {
    return { admitted: false, reason: 'called-ae', message: 'called AE title not recognized' };
  }
  const peer = rules.peers.get(calling);
  if (!peer) {
    if (!rules.acceptUnknownPeers || calling === '') {
      return { admitted: false, reason: 'calling-ae', message: 'calling AE title not recognized' };
    }
    const unknown: DimsePeer = {
      aeTitle: calling,
      host: association.remoteAddress,
      port: 0,
      organization: '',
    };
    return { admitted: true, peer: unknown, known: false };
  }
  if (rules.verifyPeerHost && !(await hostMatches(peer.host, association.remoteAddress))) {
    return { admitted: false, reason: 'host', message: 'calling AE title not recognized from this address' };
  }
  return { admitted: true, peer, known: true };
}

/** AE titles (VR AE, PS3.5 §6.2): 1–16 characters, no backslash or control characters. */
export function isValidAeTitle(aeTitle: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  return aeTitle.trim().length > 0 && aeTitle.length <= 16 && !/[\\\x00-\x1f\x7f]/.test(aeTitle);
}
