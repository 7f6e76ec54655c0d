/**
 * Notices a dead socket (ENG-4). Every frame that arrives re-arms it; after `idleMs` of silence it
 * calls `ping`, and if still nothing arrived `timeoutMs` later it calls `dead`. A healthy but quiet
 * connection costs one small frame each way per `idleMs`; a busy one costs nothing.
 */
export class Heartbeat {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly idleMs: number,
    private readonly timeoutMs: number,
    private readonly ping: () => void,
    private readonly dead: () => void,
  ) {}

  /** Something arrived: the socket is alive. */
  heard(): void {
    this.stop();
    this.timer = setTimeout(() => {
      this.ping();
      this.timer = setTimeout(() => {
        this.timer = null;
        this.dead();
      }, this.timeoutMs);
    }, this.idleMs);
  }

  /**
   * Asks at once instead of after `idleMs` (the browser said the network went away: a socket that
   * still looks open may be dead). An answer re-arms as usual; none within `timeoutMs` is `dead`.
   */
  probe(): void {
    this.stop();
    this.ping();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.dead();
    }, this.timeoutMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
