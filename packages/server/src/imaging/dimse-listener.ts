import { type DimseServer, type IndexedImagingService, startDimseServer } from '@yiyun/imaging';
import type { Logger } from 'pino';
import type { AppAuth } from '../app.ts';
import type { DicomPeerConfig } from '../config/index.ts';
import { imagingCaller, peerPrincipal } from './caller.ts';

export interface DimseListenerOptions {
  readonly service: IndexedImagingService;
  readonly auth: Pick<AppAuth, 'authorize'>;
  readonly aeTitle: string;
  readonly host: string;
  readonly port: number;
  readonly peers: readonly DicomPeerConfig[];
  readonly logger: Logger;
}

/**
 * The DIMSE listener (C-ECHO, C-STORE, C-FIND, C-MOVE, C-GET): each known peer acts as its
 * institution's integration system under the platform's access policy, so a modality stores into
 * its own institution and a workstation finds and retrieves only what that institution may see.
 */
export function startDimseListener(options: DimseListenerOptions): Promise<DimseServer> {
  const { auth } = options;
  return startDimseServer({
    service: options.service,
    aeTitle: options.aeTitle,
    host: options.host,
    port: options.port,
    peers: options.peers,
    logger: options.logger.child({ module: 'dimse' }),
    // An association ends a batch: its studies' ImagingStudy records catch up.
    afterAssociation: async (studies) => {
      await options.service.flush(studies);
    },
    callerFor: (peer) => {
      const principal = peerPrincipal({
        aeTitle: peer.aeTitle,
        organization: peer.organization,
        canStore: peer.canStore !== false,
      });
      const caller = imagingCaller(auth.authorize(principal), 'dimse');
      return { ...caller, actor: peer.aeTitle, canStore: caller.canStore && peer.canStore !== false };
    },
  });
}
