import {
  browserHttpTransport,
  browserNetworkMonitor,
  browserSocketTransport,
  type ConnectionState,
  type DeviceKey,
  deviceSigner,
  IndexedDbCache,
  LatchEngine,
  type LinkedIdentity,
} from '@latch/client';
import {
  type AccountView,
  type RpcMethod,
  type RpcParams,
  type RpcResult,
  rpcMethods,
  type ServerEventFrame,
} from '@latch/protocol';
import { LinkApprovals } from './linkApprovals';
import { wipePhone } from './wipePhone';

export type EventType = ServerEventFrame['type'];
export type EventOf<T extends EventType> = Extract<ServerEventFrame, { type: T }>;

/** The IndexedDB database holding this phone's chats, newest messages, cursor and outbox. */
export const PHONE_CACHE_DB = 'latch-phone-cache';

/** What the UI renders from: the connection state and the latest account view. */
export interface SessionSnapshot {
  connection: ConnectionState;
  account: AccountView | null;
  deviceId: string | null;
}

function isEvent<T extends EventType>(frame: ServerEventFrame, type: T): frame is EventOf<T> {
  return frame.type === type;
}

/**
 * The signed-in phone: its {@link LatchEngine} (connection, sync, local cache, outbox, wipe), the
 * account it belongs to, and what only the phone tracks (the computers it approved itself).
 */
export class PhoneSession {
  readonly engine: LatchEngine;
  private readonly listeners = new Set<() => void>();
  private snapshot: SessionSnapshot;
  private identity: LinkedIdentity | null = null;
  /** The computers this phone approved itself (its "New device linked" alerts are calm ones). */
  readonly approvals = new LinkApprovals();

  constructor(
    readonly key: DeviceKey,
    account: AccountView | null,
    deviceId: string | null,
  ) {
    this.engine = new LatchEngine({
      app: 'phone',
      origin: location.origin,
      signer: deviceSigner(key),
      sockets: browserSocketTransport,
      http: browserHttpTransport,
      network: browserNetworkMonitor,
      cache: new IndexedDbCache(PHONE_CACHE_DB, key.publicKey),
      deviceId,
      // The server ended this phone's session: the engine wipes it (OUT-*), including the key.
      wipe: { wipePlatform: wipePhone },
    });
    this.snapshot = { connection: this.engine.getSnapshot().connection, account, deviceId };
    this.engine.subscribe(() => this.follow());
  }

  /** Shows the cached chats as soon as they are read, then connects. */
  start(): void {
    void this.engine.start();
  }

  /** Stops without wiping; `flush: false` when this phone's data is about to be (or was) deleted. */
  close(opts: { flush?: boolean } = {}): void {
    this.engine.close(opts);
  }

  get current(): SessionSnapshot {
    return this.snapshot;
  }

  /** For useSyncExternalStore. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SessionSnapshot => this.snapshot;

  request<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
    const answer = this.engine.request(method, params);
    if (method === 'link.approve') {
      this.approvals.track(answer.then((r) => rpcMethods['link.approve'].result.parse(r).deviceId));
    }
    return answer;
  }

  /** Follows one kind of server event; returns the unsubscribe function. */
  on<T extends EventType>(type: T, handler: (frame: EventOf<T>) => void): () => void {
    return this.engine.onEvent((frame) => {
      if (isEvent(frame, type)) handler(frame);
    });
  }

  /** After account.setName, before the server's account.changed event arrives. */
  setAccount(account: AccountView): void {
    this.update({ account });
  }

  private update(patch: Partial<SessionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }

  /** The engine's identity (from the cache, then every `ready` and `account.changed`) wins when it moves. */
  private follow(): void {
    const { connection, identity } = this.engine.getSnapshot();
    const patch: Partial<SessionSnapshot> = {};
    if (connection !== this.snapshot.connection) patch.connection = connection;
    if (identity && identity !== this.identity) {
      patch.account = identity.account;
      patch.deviceId = identity.deviceId;
    }
    this.identity = identity;
    if (Object.keys(patch).length > 0) this.update(patch);
  }
}
