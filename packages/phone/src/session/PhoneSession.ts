import { ApiError, type DeviceKey, LatchSocket, requestJson, type SocketState } from '@latch/client';
import {
  type AccountView,
  type RpcMethod,
  type RpcParams,
  type RpcResult,
  rpcMethods,
  type ServerEventFrame,
  SessionResponse,
} from '@latch/protocol';
import { LinkApprovals } from './linkApprovals';

export type EventType = ServerEventFrame['type'];
export type EventOf<T extends EventType> = Extract<ServerEventFrame, { type: T }>;

/** What the UI renders from: the connection state and the latest account view. */
export interface SessionSnapshot {
  connection: SocketState;
  account: AccountView | null;
  deviceId: string | null;
}

function isEvent<T extends EventType>(frame: ServerEventFrame, type: T): frame is EventOf<T> {
  return frame.type === type;
}

/** Reconnects after this many failed attempts also ask HTTP whether the session still exists. */
const SESSION_CHECK_AFTER_ATTEMPTS = 2;

/**
 * The signed-in phone: its device key, its authenticated socket, the account it belongs to,
 * and a small typed event hub so screens can follow server events.
 */
export class PhoneSession {
  private readonly socket: LatchSocket;
  private readonly eventHandlers = new Set<(frame: ServerEventFrame) => void>();
  private readonly listeners = new Set<() => void>();
  private snapshot: SessionSnapshot;
  private checkingSession = false;
  /** The computers this phone approved itself (its "New device linked" alerts are calm ones). */
  readonly approvals = new LinkApprovals();

  constructor(
    readonly key: DeviceKey,
    account: AccountView | null,
    deviceId: string | null,
  ) {
    this.snapshot = { connection: { kind: 'connecting', attempt: 0 }, account, deviceId };
    this.socket = new LatchSocket({
      app: 'phone',
      key,
      onState: (state) => this.onState(state),
      onEvent: (frame) => this.onEvent(frame),
    });
  }

  start(): void {
    this.socket.start();
  }

  close(): void {
    this.socket.close();
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
    const answer = this.socket.request(method, params);
    if (method === 'link.approve') {
      this.approvals.track(answer.then((r) => rpcMethods['link.approve'].result.parse(r).deviceId));
    }
    return answer;
  }

  /** Follows one kind of server event; returns the unsubscribe function. */
  on<T extends EventType>(type: T, handler: (frame: EventOf<T>) => void): () => void {
    const wrapped = (frame: ServerEventFrame) => {
      if (isEvent(frame, type)) handler(frame);
    };
    this.eventHandlers.add(wrapped);
    return () => this.eventHandlers.delete(wrapped);
  }

  /** After account.setName, before the server's account.changed event arrives. */
  setAccount(account: AccountView): void {
    this.update({ account });
  }

  private update(patch: Partial<SessionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }

  private onState(state: SocketState): void {
    if (state.kind === 'ready') {
      this.update({ connection: state, account: state.account, deviceId: state.deviceId });
      return;
    }
    this.update({ connection: state });
    if (state.kind === 'reconnecting' && state.attempt >= SESSION_CHECK_AFTER_ATTEMPTS) {
      void this.checkSession();
    }
  }

  private onEvent(frame: ServerEventFrame): void {
    if (frame.type === 'account.changed') this.update({ account: frame.account });
    for (const h of this.eventHandlers) h(frame);
  }

  /**
   * A server may refuse the upgrade itself when the session is gone, which a browser reports as a
   * plain network failure. Asking over HTTP tells "offline" apart from "logged out".
   */
  private async checkSession(): Promise<void> {
    if (this.checkingSession) return;
    this.checkingSession = true;
    try {
      await requestJson('GET', '/v1/session?client=phone', SessionResponse);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && this.snapshot.connection.kind === 'reconnecting') {
        this.socket.close();
        this.update({ connection: { kind: 'logged_out', reason: 'unauthorized' } });
      }
    } finally {
      this.checkingSession = false;
    }
  }
}
