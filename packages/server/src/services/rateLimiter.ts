import type { Clock } from '../clock';
import { rateLimited } from '../errors';
import {
  type FailureCounting,
  type RateLimitRepository,
  type RateLimitRow,
  waitAfterFailure,
} from '../repositories/rateLimit.repository';
import type { Db } from '../store/database';

/** Waits after each lockout: 30 s, 5 min, 1 h, then 1 h again and again. */
export const LOCKOUT_STEPS_MS = [30_000, 5 * 60_000, 60 * 60_000];

/** A failure counter with the growing waits: from the `failuresBeforeLock`-th failure in a row on. */
export interface FailurePolicy {
  failuresBeforeLock: number;
  /** Failures in a row after which the key stays closed until a reset; never when absent. */
  closeAfter?: number;
}

/**
 * One attempt, reserved before it is evaluated. `ok`: it was counted as a failure in a row (the
 * `failures`-th), and `lockedForMs` is the wait it started, which stands if it turns out wrong.
 * A right answer calls {@link RateLimiter.reset}, which forgets the failures in a row.
 */
export type Reservation =
  | { ok: true; failures: number; lockedForMs: number }
  | { ok: false; closed: boolean; retryAfterMs: number };

/** A reservation refused: how long to wait, or closed for good (until a reset). */
export type Refusal = Extract<Reservation, { ok: false }>;

const counting = (policy: FailurePolicy): FailureCounting => ({
  lockFrom: policy.failuresBeforeLock,
  waits: LOCKOUT_STEPS_MS,
  closeAfter: policy.closeAfter,
});

/** A refused reservation raced with a reset: try again this many times before calling it refused. */
const RESERVE_TRIES = 3;
/** Refused, yet the row no longer says why: a reset came in between, so the attempt is tried again. */
const RESET_MEANWHILE: Refusal = { ok: false, closed: false, retryAfterMs: 0 };

/**
 * Counters that live in the store (so they survive restarts and every node shares them):
 * fixed-window quotas, and failure counters with a lockout that grows. Every attempt is counted in
 * the store BEFORE it is evaluated, in one atomic statement (or one transaction for several keys),
 * so guesses sent at once cannot all slip past a check that has not yet seen the others.
 */
export class RateLimiter {
  constructor(
    private readonly repo: RateLimitRepository,
    private readonly clock: Clock,
  ) {}

  /** Counts one event against `limit` per `windowMs`; throws rate_limited when over. */
  async consume(key: string, limit: number, windowMs: number, message?: string): Promise<void> {
    const now = this.clock.now();
    if (await this.repo.consume(key, now, limit, windowMs)) return;
    const row = await this.repo.find(key);
    throw rateLimited(Math.max(0, (row?.window_start ?? now) + windowMs - now), message);
  }

  /** Throws while the key is locked out (a read: use {@link reserve} to guard an evaluation). */
  async assertNotLocked(key: string, message?: string): Promise<void> {
    const r = await this.repo.find(key);
    const now = this.clock.now();
    if (r && r.locked_until > now) throw rateLimited(r.locked_until - now, message);
  }

  /** Why the key would refuse an attempt now, or null when it would take one (a read only). */
  async refusal(key: string, policy: FailurePolicy): Promise<Refusal | null> {
    return this.refusalOf(await this.repo.find(key), policy);
  }

  /**
   * Reserves one attempt on a failure counter before it is evaluated: counts it as a failure in a
   * row (and starts the wait that failure means), unless the key is locked or closed.
   */
  reserve(key: string, policy: FailurePolicy): Promise<Reservation> {
    return this.reserveAll([{ key, policy }]);
  }

  /**
   * Reserves one attempt on every key in one transaction: all are counted, or (when any refuses)
   * none. Keys are taken in the order given; callers use one fixed order so PostgreSQL row locks
   * never wait on each other in a circle. The result counts the first key's failures and the
   * longest wait any key started, or is the first refusal.
   */
  async reserveAll(keys: Array<{ key: string; policy: FailurePolicy }>): Promise<Reservation> {
    for (let tries = 1; ; tries++) {
      const now = this.clock.now();
      const outcome = await this.reserveOnce(keys, now);
      if (outcome.ok || tries >= RESERVE_TRIES || outcome.closed || outcome.retryAfterMs > 0) return outcome;
    }
  }

  private reserveOnce(
    keys: Array<{ key: string; policy: FailurePolicy }>,
    now: number,
  ): Promise<Reservation> {
    if (keys.length === 1) return this.reserveKeys(keys, now, undefined);
    return this.repo
      .transaction((trx) => this.reserveKeys(keys, now, trx))
      .catch((err: unknown) => {
        if (err instanceof Refused) return err.refusal;
        throw err;
      });
  }

  /** Counts the attempt on each key in turn; in a transaction a refusal throws, rolling back the rest. */
  private async reserveKeys(
    keys: Array<{ key: string; policy: FailurePolicy }>,
    now: number,
    trx: Db | undefined,
  ): Promise<Reservation> {
    let failures: number | null = null;
    let lockedForMs = 0;
    for (const { key, policy } of keys) {
      const row = await this.repo.reserveFailure(key, now, counting(policy), trx);
      if (!row) {
        const refused = this.refusalOf(await this.repo.find(key, trx), policy, now) ?? RESET_MEANWHILE;
        if (trx) throw new Refused(refused);
        return refused;
      }
      failures ??= row.failures;
      lockedForMs = Math.max(lockedForMs, waitAfterFailure(row.failures, counting(policy)));
    }
    return { ok: true, failures: failures ?? 0, lockedForMs };
  }

  private refusalOf(
    row: RateLimitRow | undefined,
    policy: FailurePolicy,
    now = this.clock.now(),
  ): Refusal | null {
    if (!row) return null;
    if (policy.closeAfter !== undefined && row.failures >= policy.closeAfter) {
      return { ok: false, closed: true, retryAfterMs: 0 };
    }
    if (row.locked_until > now) return { ok: false, closed: false, retryAfterMs: row.locked_until - now };
    return null;
  }

  /** Consecutive failures so far (0 when none), reserved attempts included. */
  async failures(key: string): Promise<number> {
    return (await this.repo.find(key))?.failures ?? 0;
  }

  /** A right answer (or a reset by the owner): forgets the failures in a row and any wait. */
  async reset(...keys: string[]): Promise<void> {
    await this.repo.deleteMany(keys);
  }
}

/**
 * The same counting for state that lives with one socket, in memory: a socket lives on one node,
 * and JavaScript runs one reservation at a time, so nothing else is needed to make it atomic.
 */
export class SocketFailureCounter {
  private failures = 0;
  private lockedUntil = 0;

  constructor(
    private readonly policy: FailurePolicy,
    private readonly clock: Clock,
  ) {}

  reserve(): Reservation {
    const now = this.clock.now();
    if (this.policy.closeAfter !== undefined && this.failures >= this.policy.closeAfter) {
      return { ok: false, closed: true, retryAfterMs: 0 };
    }
    if (this.lockedUntil > now) return { ok: false, closed: false, retryAfterMs: this.lockedUntil - now };
    this.failures += 1;
    const lockedForMs = waitAfterFailure(this.failures, counting(this.policy));
    if (lockedForMs > 0) this.lockedUntil = now + lockedForMs;
    return { ok: true, failures: this.failures, lockedForMs };
  }

  reset(): void {
    this.failures = 0;
    this.lockedUntil = 0;
  }
}

/** Rolls back a transaction of reservations when one key refuses. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super('refused');
  }
}
