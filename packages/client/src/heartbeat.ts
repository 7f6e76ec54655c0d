/** A quiet connection sends a ping this long after the last frame it heard. */
export const HEARTBEAT_INTERVAL_MS = 10_000;
/** A ping not answered (by any frame) within this long means the connection is dead. */
export const HEARTBEAT_TIMEOUT_MS = 4_000;

/** The timer functions the heartbeat uses; tests pass fake ones. */
export interface HeartbeatTimers {
  set: (fn: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
}

export interface HeartbeatOptions {
  /** Sends one `ping` frame. */
  sendPing: () => void;
  /** Called once when a ping went unanswered: the caller drops the socket and reconnects. */
  onDead: () => void;
  intervalMs?: number;
  timeoutMs?: number;
  timers?: HeartbeatTimers;
}

const systemTimers: HeartbeatTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Notices a dead connection without help from TCP, which can take minutes to give up on a cut
 * network: after {@link HEARTBEAT_INTERVAL_MS} of silence it pings, and if nothing at all arrives
 * within {@link HEARTBEAT_TIMEOUT_MS} the connection is declared dead. {@link probe} asks at once
 * (the browser said it went offline). No DOM, no framework: the client engine owns one per socket.
 */
export class Heartbeat {
  private idleTimer: unknown = null;
  private deadline: unknown = null;
  private running = false;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly timers: HeartbeatTimers;

  constructor(private readonly opts: HeartbeatOptions) {
    this.intervalMs = opts.intervalMs ?? HEARTBEAT_INTERVAL_MS;
    this.timeoutMs = opts.timeoutMs ?? HEARTBEAT_TIMEOUT_MS;
    this.timers = opts.timers ?? systemTimers;
  }

  /** Starts watching a connection that is open and authenticated. */
  start(): void {
    this.running = true;
    this.heard();
  }

  stop(): void {
    this.running = false;
    this.clearIdle();
    this.clearDeadline();
  }

  /** Any frame from the server: the connection is alive. */
  heard(): void {
    if (!this.running) return;
    this.clearDeadline();
    this.clearIdle();
    this.idleTimer = this.timers.set(() => this.probe(), this.intervalMs);
  }

  /** Pings now, unless a ping is already waiting for its answer. */
  probe(): void {
    if (!this.running || this.deadline !== null) return;
    this.clearIdle();
    this.deadline = this.timers.set(() => {
      this.deadline = null;
      this.stop();
      this.opts.onDead();
    }, this.timeoutMs);
    this.opts.sendPing();
  }

  private clearIdle(): void {
    if (this.idleTimer !== null) this.timers.clear(this.idleTimer);
    this.idleTimer = null;
  }

  private clearDeadline(): void {
    if (this.deadline !== null) this.timers.clear(this.deadline);
    this.deadline = null;
  }
}
