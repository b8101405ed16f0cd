import type { ImagingCaller, ImagingService } from '../service/port.ts';

/**
 * A registered DICOM system of an institution (a modality, a hospital PACS, a workstation): who may
 * open associations to us (calling AE title) and where C-MOVE sends images (host, port).
 */
export interface DimsePeer {
  readonly aeTitle: string;
  readonly host: string;
  /** Its C-STORE SCP port, for C-MOVE sub-associations. */
  readonly port: number;
  /** The `Organization` id of the institution whose system it is. */
  readonly organization: string;
  /** May send C-STORE (default true). */
  readonly canStore?: boolean;
  /** May C-MOVE / C-GET (default true). C-FIND is always allowed: the service filters what it sees. */
  readonly canRetrieve?: boolean;
}

/** The pino methods the edge uses (constant messages, data in fields, no personal data). */
export interface DimseLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface DimseServerOptions {
  readonly service: ImagingService;
  /** Our AE title (default `YIYUN`); an association calling another one is rejected. */
  readonly aeTitle?: string;
  /** Interface to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** TCP port (default 11112, the registered DICOM port; 0 = any free port). */
  readonly port?: number;
  readonly peers: readonly DimsePeer[];
  /**
   * The platform's caller for a peer: its access scope and institution, so the service applies the
   * access rules and writes the audit trail. The edge sets `via` (`c-store` …) and `address`.
   */
  callerFor(peer: DimsePeer): ImagingCaller;
  /**
   * Accept associations from calling AE titles that are not registered (default false). They are
   * passed to `callerFor` as `{ aeTitle, host: <remote address>, port: 0, organization: '' }`.
   */
  readonly acceptUnknownPeers?: boolean;
  /** Reject a known AE title calling from another address than its registered host (default false). */
  readonly verifyPeerHost?: boolean;
  readonly logger: DimseLogger;
  /** Largest P-DATA PDU we receive (PS3.8 §9.3.1); dcmjs-dimse caps it at 262144. */
  readonly maxPdu?: number;
  /**
   * Called when an association that stored instances has ended, with their studies: where the
   * composition root brings their ImagingStudy resources up to date (`IndexedImagingService.flush`).
   */
  afterAssociation?(studies: readonly string[]): Promise<unknown> | undefined;
  /** A connection with no traffic in either direction for this long is closed (default 120 s). */
  readonly idleTimeoutMs?: number;
}

export interface DimseServer {
  /** The bound port (the chosen one when `port` was 0). */
  readonly port: number;
  /** Stops listening and closes every open association. */
  close(): Promise<void>;
}

/** What every handler of one association needs. */
export interface AssociationContext {
  readonly options: DimseServerOptions;
  readonly aeTitle: string;
  readonly peer: DimsePeer;
  readonly remoteAddress: string;
  readonly maxPdu: number;
  readonly idleTimeoutMs: number;
  /** The peer's caller for one operation (`via` set for the audit trail). */
  caller(via: string): ImagingCaller;
}
