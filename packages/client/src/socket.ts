import type {
  AccountView,
  ClientApp,
  LogoutReason,
  RpcMethod,
  RpcParams,
  RpcResult,
  ServerEventFrame,
} from '@latch/protocol';
import { type DeviceKey, deviceSigner } from './deviceKey';
import { browserNetworkMonitor, browserSocketTransport } from './engine/browserTransport';
import { Connection } from './engine/connection';
import type { ConnectionState } from './engine/connectionState';
import type { NetworkMonitor } from './engine/transport';

/** Where the connection is; the UI renders each state. */
export type SocketState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'ready'; account: AccountView; deviceId: string }
  | { kind: 'reconnecting'; attempt: number; inMs: number }
  /** Terminal: the device was logged out (or its session is gone). The app must wipe. */
  | { kind: 'logged_out'; reason: LogoutReason | 'unauthorized' }
  /** Terminal: closed by the app. */
  | { kind: 'closed' };

export interface SocketOptions {
  app: ClientApp;
  key: DeviceKey;
  /** Base URL, default: this page's origin. */
  origin?: string;
  onState: (state: SocketState) => void;
  onEvent: (frame: ServerEventFrame) => void;
}

/**
 * The browser's `online` event skips the backoff wait, as it always did; the engine's `offline`
 * state is not used here (the apps' screens do not render it yet).
 */
const onlineEvents: NetworkMonitor = {
  isOnline: () => true,
  subscribe: (onChange) => browserNetworkMonitor.subscribe((online) => online && onChange(true)),
};

function toSocketState(state: ConnectionState): SocketState {
  switch (state.kind) {
    case 'ready':
      return { kind: 'ready', account: state.account, deviceId: state.deviceId };
    case 'offline':
      return { kind: 'reconnecting', attempt: 0, inMs: 0 };
    default:
      return state;
  }
}

/**
 * The apps' connection until they move onto the engine: a thin view of the engine's
 * {@link Connection} (handshake, heartbeat, typed requests, reconnect with backoff, terminal
 * `logged_out`) with the state shape the apps render today.
 */
export class LatchSocket {
  private readonly connection: Connection;
  /** Mapped once per change, so `current` is the same object until the state changes. */
  private state: SocketState;

  constructor(opts: SocketOptions) {
    this.connection = new Connection({
      app: opts.app,
      signer: deviceSigner(opts.key),
      origin: opts.origin ?? location.origin,
      sockets: browserSocketTransport,
      network: onlineEvents,
    });
    this.state = toSocketState(this.connection.state);
    this.connection.subscribe(() => {
      this.state = toSocketState(this.connection.state);
      opts.onState(this.state);
    });
    this.connection.onEvent(opts.onEvent);
  }

  get current(): SocketState {
    return this.state;
  }

  start(): void {
    this.connection.start();
  }

  /** Closes for good (logout, page teardown). */
  close(): void {
    this.connection.close();
  }

  /** Sends a request once the connection is ready, and resolves with its validated result. */
  request<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
    return this.connection.request(method, params);
  }
}
