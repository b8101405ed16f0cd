import net from 'node:net';
import { AppError } from '@yiyun/fhir';
import dimse from 'dcmjs-dimse';
import { isValidAeTitle } from './admission.ts';
import { type ServerContext, YiyunScp } from './association.ts';
import type { DimsePeer, DimseServer, DimseServerOptions } from './types.ts';

/** dcmjs-dimse sends at most 4 MiB per PDU and advertises at most 262144 bytes (its Implementation). */
const DEFAULT_MAX_PDU = 262_144;

function peersByAeTitle(peers: readonly DimsePeer[]): Map<string, DimsePeer> {
  const byAe = new Map<string, DimsePeer>();
  for (const peer of peers) {
    if (!isValidAeTitle(peer.aeTitle))
      throw new AppError('invalid', `DIMSE peer AE title "${peer.aeTitle}" is not a valid AE title`);
    if (byAe.has(peer.aeTitle))
      throw new AppError('invalid', `DIMSE peer AE title ${peer.aeTitle} is registered twice`);
    byAe.set(peer.aeTitle, peer);
  }
  return byAe;
}

function serverContext(options: DimseServerOptions): ServerContext {
  const aeTitle = options.aeTitle ?? 'YIYUN';
  if (!isValidAeTitle(aeTitle))
    throw new AppError('invalid', `DIMSE AE title "${aeTitle}" is not a valid AE title (1–16 characters)`);
  const maxPdu = options.maxPdu ?? DEFAULT_MAX_PDU;
  if (!Number.isInteger(maxPdu) || maxPdu < 4096)
    throw new AppError('invalid', `DIMSE maxPdu ${maxPdu} is below 4096`);
  return {
    options,
    rules: {
      aeTitle,
      peers: peersByAeTitle(options.peers),
      acceptUnknownPeers: options.acceptUnknownPeers ?? false,
      verifyPeerHost: options.verifyPeerHost ?? false,
    },
    maxPdu,
    idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
  };
}

/**
 * The DIMSE edge (PS3.7, PS3.8): a TCP listener whose every connection is one `YiyunScp`. We listen
 * ourselves rather than through dcmjs-dimse's `Server`, which can neither bind an interface nor report
 * the port it got for port 0, and TCP_NODELAY is on for every socket: with Nagle's algorithm a
 * response split over two writes waits for the peer's delayed ACK (~40–50 ms per message here).
 */
export async function startDimseServer(options: DimseServerOptions): Promise<DimseServer> {
  const context = serverContext(options);
  // dcmjs-dimse logs every PDU through its own module-wide logger; we log through ours.
  dimse.log.setLevel('silent');
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    new YiyunScp(socket, context);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 11112, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => options.logger.error({ err }, 'dimse listener error'));
  const address = server.address() as net.AddressInfo;
  options.logger.info(
    { aeTitle: context.rules.aeTitle, host: address.address, port: address.port },
    'dimse listening',
  );
  return {
    port: address.port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
