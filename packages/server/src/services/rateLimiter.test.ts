import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { AppError } from '../errors';
import { RateLimitRepository } from '../repositories/rateLimit.repository';
import { type OpenedDatabase, openDatabase } from '../store/database';
import { storesUnderTest } from '../testing/testBackends';
import { type FailurePolicy, LOCKOUT_STEPS_MS, RateLimiter, type Reservation } from './rateLimiter';

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected rate_limited');
}

const stores = await storesUnderTest('RateLimiter on PostgreSQL (rateLimiter.test.ts)');

const FIVE: FailurePolicy = { failuresBeforeLock: 5 };
const PIN_LIKE: FailurePolicy = { failuresBeforeLock: 5, closeAfter: 10 };

for (const store of stores) {
  describe.runIf(store.runs)(`RateLimiter (store-backed) on ${store.kind}`, () => {
    let url = '';
    let cleanup = async () => {};
    let db: OpenedDatabase;
    let clock: ManualClock;
    let limiter: RateLimiter;

    beforeEach(async () => {
      ({ url, cleanup } = await store.create());
      db = await openDatabase(url);
      clock = new ManualClock();
      limiter = new RateLimiter(new RateLimitRepository(db.db), clock);
    });
    afterEach(async () => {
      await db.close();
      await cleanup();
    });

    /** Reserves and treats the attempt as wrong: the reservation already counted it. */
    const fail = async (key: string, policy = FIVE) => {
      const r = await limiter.reserve(key, policy);
      if (!r.ok) throw new Error(`refused: ${JSON.stringify(r)}`);
      return r;
    };

    it('REG-4 a quota allows `limit` events per window, then rate_limited until the window ends', async () => {
      for (let i = 0; i < 3; i++) await limiter.consume('k', 3, 60_000);
      clock.advance(20_000);
      const err = await rejection(limiter.consume('k', 3, 60_000));
      expect(err.status).toBe(429);
      expect(err.code).toBe('rate_limited');
      expect(err.extra.retryAfterMs).toBe(40_000);
      // Refused attempts do not extend the window.
      clock.advance(40_000);
      await limiter.consume('k', 3, 60_000);
      // Keys are independent.
      for (let i = 0; i < 3; i++) await limiter.consume('other', 3, 60_000);
    });

    it('REG-3 failures lock with a growing wait: 30 s, 5 min, 1 h, then 1 h again', async () => {
      expect(LOCKOUT_STEPS_MS).toEqual([30_000, 5 * 60_000, 60 * 60_000]);
      const locks: number[] = [];
      let failures = 0;
      while (locks.length < 4 && failures < 50) {
        await limiter.assertNotLocked('verify:x');
        const { lockedForMs } = await fail('verify:x');
        failures += 1;
        if (lockedForMs === 0) continue;
        locks.push(lockedForMs);
        const err = await rejection(limiter.assertNotLocked('verify:x'));
        expect(err.extra.retryAfterMs).toBe(lockedForMs);
        expect(await limiter.reserve('verify:x', FIVE)).toEqual({
          ok: false,
          closed: false,
          retryAfterMs: lockedForMs,
        });
        clock.advance(lockedForMs - 1);
        await rejection(limiter.assertNotLocked('verify:x'));
        clock.advance(1);
      }
      expect(failures).toBe(8);
      expect(locks).toEqual([30_000, 5 * 60_000, 60 * 60_000, 60 * 60_000]);
      // Four failures are not yet a lock.
      for (let i = 0; i < 4; i++) expect((await fail('fresh')).lockedForMs).toBe(0);
      expect((await fail('fresh')).lockedForMs).toBe(30_000);
    });

    it('PIN-3 a failure counter with a close: after 10 failures in a row nothing is let through, however long one waits', async () => {
      for (let i = 1; i <= 10; i++) {
        expect((await fail('pin:x', PIN_LIKE)).failures).toBe(i);
        clock.advance(2 * 60 * 60_000);
      }
      expect(await limiter.reserve('pin:x', PIN_LIKE)).toEqual({ ok: false, closed: true, retryAfterMs: 0 });
      expect(await limiter.refusal('pin:x', PIN_LIKE)).toEqual({ ok: false, closed: true, retryAfterMs: 0 });
      await limiter.reset('pin:x');
      expect(await limiter.refusal('pin:x', PIN_LIKE)).toBeNull();
    });

    it('REG-3 a reset (after a right code) forgets failures and lockouts', async () => {
      for (let i = 0; i < 5; i++) await fail('k');
      await rejection(limiter.assertNotLocked('k'));
      await limiter.reset('k');
      await limiter.assertNotLocked('k');
      for (let i = 0; i < 4; i++) expect((await fail('k')).lockedForMs).toBe(0);
      expect((await fail('k')).lockedForMs).toBe(30_000);
    });

    it('LIM-1 REG-3 300 reservations at once: exactly 5 are let through, and the lock survives a restart', async () => {
      const outcomes = await Promise.all(Array.from({ length: 300 }, () => limiter.reserve('k', FIVE)));
      const through = outcomes.filter((o): o is Extract<Reservation, { ok: true }> => o.ok);
      expect(through.map((o) => o.failures).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
      expect(through.find((o) => o.failures === 5)?.lockedForMs).toBe(30_000);
      expect(outcomes.filter((o) => !o.ok)).toHaveLength(295);
      await db.close();
      db = await openDatabase(url);
      const afterRestart = new RateLimiter(new RateLimitRepository(db.db), clock);
      clock.advance(10_000);
      expect((await rejection(afterRestart.assertNotLocked('k'))).extra.retryAfterMs).toBe(20_000);
      expect(await afterRestart.reserve('k', FIVE)).toMatchObject({ ok: false, retryAfterMs: 20_000 });
    });

    it('LIM-2 REG-4 300 events at once against a quota of 10: exactly 10 pass, and the quota survives a restart', async () => {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 300 }, () => limiter.consume('q', 10, 60_000)),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
      await db.close();
      db = await openDatabase(url);
      const afterRestart = new RateLimiter(new RateLimitRepository(db.db), clock);
      await rejection(afterRestart.consume('q', 10, 60_000));
      clock.advance(60_000);
      await afterRestart.consume('q', 10, 60_000);
    });

    it('LIM-3 reservations on several keys count together or not at all', async () => {
      const keys = [
        { key: 'account', policy: FIVE },
        { key: 'ip', policy: { failuresBeforeLock: 2 } },
      ];
      expect(await limiter.reserveAll(keys)).toEqual({ ok: true, failures: 1, lockedForMs: 0 });
      // The second key's second failure starts its wait: the longest wait is reported.
      expect(await limiter.reserveAll(keys)).toEqual({ ok: true, failures: 2, lockedForMs: 30_000 });
      // Refused by the second key: the first one does not count this attempt.
      expect(await limiter.reserveAll(keys)).toEqual({ ok: false, closed: false, retryAfterMs: 30_000 });
      expect(await limiter.failures('account')).toBe(2);
      const together = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          limiter.reserveAll([
            { key: 'a2', policy: FIVE },
            { key: `ip-${i % 3}`, policy: FIVE },
          ]),
        ),
      );
      expect(together.filter((o) => o.ok)).toHaveLength(5);
      await limiter.reset('account', 'ip');
      expect(await limiter.failures('account')).toBe(0);
      expect(await limiter.failures('ip')).toBe(0);
    });
  });
}
