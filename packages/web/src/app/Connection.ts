import { type DeviceKey, LatchSocket, type SocketState } from '@latch/client';
import type { AccountView, ServerEventFrame } from '@latch/protocol';

type Listener<T> = (value: T) => void;

/** What the last `ready` frame said: who this browser is linked to. */
export interface LinkedIdentity {
  account: AccountView;
  deviceId: string;
}

/**
 * One linked session: the authenticated socket plus fan-out of its state and events to the
 * React tree, and the identity from the most recent `ready` (kept while reconnecting).
 */
export class Connection {
  readonly socket: LatchSocket;
  private readonly stateListeners = new Set<Listener<SocketState>>();
  private readonly eventListeners = new Set<Listener<ServerEventFrame>>();
  private identityValue: LinkedIdentity | null = null;

  constructor(readonly key: DeviceKey) {
    this.socket = new LatchSocket({
      app: 'web',
      key,
      onState: (state) => this.handleState(state),
      onEvent: (frame) => this.handleEvent(frame),
    });
  }

  get state(): SocketState {
    return this.socket.current;
  }

  get identity(): LinkedIdentity | null {
    return this.identityValue;
  }

  start(): void {
    this.socket.start();
  }

  close(): void {
    this.socket.close();
  }

  /** Subscribes to state changes; returns the unsubscribe function (useSyncExternalStore-shaped). */
  subscribeState = (fn: Listener<SocketState>): (() => void) => {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  };

  subscribeEvents = (fn: Listener<ServerEventFrame>): (() => void) => {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  };

  private handleState(state: SocketState): void {
    if (state.kind === 'ready') this.identityValue = { account: state.account, deviceId: state.deviceId };
    for (const fn of this.stateListeners) fn(state);
  }

  private handleEvent(frame: ServerEventFrame): void {
    if (frame.type === 'account.changed' && this.identityValue) {
      this.identityValue = { ...this.identityValue, account: frame.account };
    }
    for (const fn of this.eventListeners) fn(frame);
  }
}
