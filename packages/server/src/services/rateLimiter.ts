import type { Clock } from '../clock';
import { rateLimited } from '../errors';
import type { RateLimitRepository, RateLimitRow } from '../repositories/rateLimit.repository';

/** Waits after each lockout: 30 s, 5 min, 1 h, then 1 h again and again. */
export const LOCKOUT_STEPS_MS = [30_000, 5 * 60_000, 60 * 60_000];

/**
 * Counters that live in the store (so they survive restarts and every node shares them):
 * fixed-window quotas for sends, and failure counters with a lockout that grows.
 */
export class RateLimiter {
  constructor(
    private readonly repo: RateLimitRepository,
    private readonly clock: Clock,
  ) {}

  private async row(key: string): Promise<RateLimitRow> {
    return (
      (await this.repo.find(key)) ?? {
        key,
        count: 0,
        window_start: 0,
        failures: 0,
        lockouts: 0,
        locked_until: 0,
      }
    );
  }

  /** Counts one event against `limit` per `windowMs`; throws rate_limited when over. */
  async consume(key: string, limit: number, windowMs: number, message?: string): Promise<void> {
    const now = this.clock.now();
    const r = await this.row(key);
    if (now - r.window_start >= windowMs) {
      r.window_start = now;
      r.count = 0;
    }
    if (r.count >= limit) throw rateLimited(r.window_start + windowMs - now, message);
    r.count += 1;
    await this.repo.upsert(r);
  }

  /** Throws while the key is locked out. */
  async assertNotLocked(key: string, message?: string): Promise<void> {
    const r = await this.repo.find(key);
    const now = this.clock.now();
    if (r && r.locked_until > now) throw rateLimited(r.locked_until - now, message);
  }

  /**
   * Records a failure (atomically: concurrent failures are all counted). From the `failuresPerLock`-th
   * failure in a row on, each failure locks the key for the next step's wait: 30 s, 5 min, 1 h, 1 h, …
   */
  async recordFailure(key: string, failuresPerLock = 5): Promise<{ failures: number; lockedForMs: number }> {
    const now = this.clock.now();
    const r = await this.repo.addFailure(key, now);
    if (r.failures < failuresPerLock) return { failures: r.failures, lockedForMs: 0 };
    const step = Math.min(r.failures - failuresPerLock, LOCKOUT_STEPS_MS.length - 1);
    const lockedForMs = LOCKOUT_STEPS_MS[step]!;
    await this.repo.lockUntil(key, now + lockedForMs, r.lockouts + 1);
    return { failures: r.failures, lockedForMs };
  }

  /** Consecutive failures so far (0 when none). */
  async failures(key: string): Promise<number> {
    return (await this.repo.find(key))?.failures ?? 0;
  }

  async reset(key: string): Promise<void> {
    await this.repo.delete(key);
  }
}
