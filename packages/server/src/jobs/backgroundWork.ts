import type { Logger } from 'pino';

/**
 * Work that outlives the request or socket that started it (a presence flush, a link channel's
 * last write). Failures are logged; the server drains what is still running before closing the store.
 */
export class BackgroundWork {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly log: Logger) {}

  /** Runs `work` to its end in the background. */
  readonly run = (work: Promise<unknown>): void => {
    const p = work
      .catch((err: unknown) => this.log.error({ err }, 'background work failed'))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  };

  /** Resolves once everything started so far has settled. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
