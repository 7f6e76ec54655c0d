import type { AccountView, LogoutReason } from '@latch/protocol';
import { type BackoffPolicy, DEFAULT_BACKOFF } from './backoff';

/**
 * Where the connection is. The UI renders every kind (STYLE 5); `logged_out` and `closed` are
 * terminal: nothing leaves them.
 */
export type ConnectionState =
  /** Opening the socket or answering the challenge. `attempt` 0 is the first connect. */
  | { kind: 'connecting'; attempt: number }
  | { kind: 'ready'; account: AccountView; deviceId: string; serverTime: number }
  /** The connection was lost; the next attempt starts in `inMs`. */
  | { kind: 'reconnecting'; attempt: number; inMs: number }
  /** The device has no network; the engine waits for it instead of retrying. */
  | { kind: 'offline' }
  /** Terminal: the device was logged out (or its session is gone). The engine wipes. */
  | { kind: 'logged_out'; reason: LogoutReason | 'unauthorized' }
  /** Terminal: closed by the app. */
  | { kind: 'closed' };

export type ConnectionKind = ConnectionState['kind'];

export function isTerminal(state: ConnectionState): boolean {
  return state.kind === 'logged_out' || state.kind === 'closed';
}

/** Every timing of the connection, named (tests and the bench may shorten them). */
export interface ConnectionTiming {
  /** No `ready` this long after opening: the attempt counts as failed. */
  handshakeTimeoutMs: number;
  /** A ready connection that heard nothing for this long sends a `ping`. */
  heartbeatIdleMs: number;
  /** …and if nothing at all arrives this long after the ping, the socket is dead (ENG-4). */
  heartbeatTimeoutMs: number;
  /** A request without an answer after this long fails with `network` (ENG-5). */
  requestTimeoutMs: number;
  backoff: BackoffPolicy;
  /** From this many failed reconnects on, ask HTTP whether the session still exists (ENG-6). */
  sessionCheckAfterAttempts: number;
}

/** Heartbeat: silence of 2.5 s → ping; 2.5 s more without a frame → dead. A dead socket is seen within 5 s. */
export const DEFAULT_CONNECTION_TIMING: ConnectionTiming = {
  handshakeTimeoutMs: 10_000,
  heartbeatIdleMs: 2_500,
  heartbeatTimeoutMs: 2_500,
  requestTimeoutMs: 15_000,
  backoff: DEFAULT_BACKOFF,
  sessionCheckAfterAttempts: 2,
};
