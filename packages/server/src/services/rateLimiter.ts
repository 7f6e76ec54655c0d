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

  /** Records a failure; every `failuresPerLock` failures in a row lock the key for the next step's wait. */
  async recordFailure(key: string, failuresPerLock = 5): Promise<{ lockedForMs: number }> {
    const r = await this.row(key);
    r.failures += 1;
    let lockedForMs = 0;
    if (r.failures % failuresPerLock === 0) {
      lockedForMs = LOCKOUT_STEPS_MS[Math.min(r.lockouts, LOCKOUT_STEPS_MS.length - 1)]!;
      r.lockouts += 1;
      r.locked_until = this.clock.now() + lockedForMs;
    }
    await this.repo.upsert(r);
    return { lockedForMs };
  }

  async reset(key: string): Promise<void> {
    await this.repo.delete(key);
  }
}
