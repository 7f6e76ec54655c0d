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

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
