import type { LinkServerFrame, LogoutReason, MessageView, SecurityEventView } from '@latch/protocol';

/** Everything one node tells the others. Published only after the transaction it reports commits. */
export type BusEvent =
  /** Devices lost their credentials: close their sockets with this reason. */
  | { type: 'devices.revoked'; deviceIds: string[]; reason: LogoutReason }
  /** The account's device list changed: phones refresh "Linked devices". */
  | { type: 'devices.changed'; accountId: string }
  | { type: 'account.changed'; accountId: string }
  | { type: 'security.event'; accountId: string; event: SecurityEventView }
  /** A frame for the browser waiting on a link channel (scanned, approved). */
  | { type: 'link.frame'; linkId: string; frame: LinkServerFrame }
  /** A browser asked to link by phone number: prompt the account's phone. */
  | { type: 'link.prompt'; accountId: string; expiresAt: number }
  | { type: 'message.new'; accountIds: string[]; message: MessageView; syncId: number }
  | { type: 'chat.changed'; accountIds: string[]; chatId: string }
  /**
   * Read/delivered positions of a chat moved. `positions` holds every member's; the members named in
   * `notify` are those whose view of the ticks changed.
   */
  | {
      type: 'receipts';
      chatId: string;
      lastSeq: number;
      positions: ReceiptPosition[];
      notify: string[];
    }
  | { type: 'chat.removed'; accountIds: string[]; chatId: string }
  | { type: 'typing'; accountIds: string[]; chatId: string; accountId: string; typing: boolean };

export interface ReceiptPosition {
  accountId: string;
  readSeq: number;
  deliveredSeq: number;
}

export type BusHandler = (event: BusEvent) => void;

/**
 * Hears every event this node publishes, once, as it is published (so after the commit it reports),
 * and never other nodes' events: the audit log and the metrics count each security event on the
 * node that recorded it.
 */
export type PublishObserver = (event: BusEvent) => void;

/** Cross-node events. The in-process bus serves one node; Redis serves many. */
export interface Bus {
  publish(event: BusEvent): Promise<void>;
  subscribe(handler: BusHandler): () => void;
  /**
   * Called when this node may have missed other nodes' events (its link to them came back after a
   * drop). Sockets are then told to catch up from their cursors.
   */
  onRecovered(handler: () => void): () => void;
  /** Whether events can reach the other nodes now (for /readyz); the in-process bus always can. */
  reachable(): Promise<boolean>;
  close(): Promise<void>;
}
