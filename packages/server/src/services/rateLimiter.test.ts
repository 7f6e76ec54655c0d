import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { AppError } from '../errors';
import { RateLimitRepository } from '../repositories/rateLimit.repository';
import { type OpenedDatabase, openDatabase } from '../store/database';
import { LOCKOUT_STEPS_MS, RateLimiter } from './rateLimiter';

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected rate_limited');
}

describe('RateLimiter (store-backed)', () => {
  let dir: string;
  let store: OpenedDatabase;
  let clock: ManualClock;
  let limiter: RateLimiter;
  const file = () => `sqlite://${path.join(dir, 'latch.db')}`;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-limits-'));
    store = await openDatabase(file());
    clock = new ManualClock();
    limiter = new RateLimiter(new RateLimitRepository(store.db), clock);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

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
      const { lockedForMs } = await limiter.recordFailure('verify:x', 5);
      failures += 1;
      if (lockedForMs === 0) continue;
      locks.push(lockedForMs);
      const err = await rejection(limiter.assertNotLocked('verify:x'));
      expect(err.extra.retryAfterMs).toBe(lockedForMs);
      clock.advance(lockedForMs - 1);
      await rejection(limiter.assertNotLocked('verify:x'));
      clock.advance(1);
    }
    expect(failures).toBeGreaterThanOrEqual(5);
    expect(locks).toEqual([30_000, 5 * 60_000, 60 * 60_000, 60 * 60_000]);
    // Four failures are not yet a lock.
    for (let i = 0; i < 4; i++) expect((await limiter.recordFailure('fresh', 5)).lockedForMs).toBe(0);
    expect((await limiter.recordFailure('fresh', 5)).lockedForMs).toBe(30_000);
  });

  it('REG-3 a reset (after a right code) forgets failures and lockouts', async () => {
    for (let i = 0; i < 5; i++) await limiter.recordFailure('k', 5);
    await rejection(limiter.assertNotLocked('k'));
    await limiter.reset('k');
    await limiter.assertNotLocked('k');
    for (let i = 0; i < 4; i++) expect((await limiter.recordFailure('k', 5)).lockedForMs).toBe(0);
    expect((await limiter.recordFailure('k', 5)).lockedForMs).toBe(30_000);
  });

  it('REG-3 concurrent failures are all counted, and a lock survives a restart', async () => {
    await Promise.all(Array.from({ length: 5 }, () => limiter.recordFailure('k', 5)));
    const err = await rejection(limiter.assertNotLocked('k'));
    expect(err.extra.retryAfterMs).toBe(30_000);
    await store.close();
    store = await openDatabase(file());
    const afterRestart = new RateLimiter(new RateLimitRepository(store.db), clock);
    clock.advance(10_000);
    expect((await rejection(afterRestart.assertNotLocked('k'))).extra.retryAfterMs).toBe(20_000);
    for (let i = 0; i < 2; i++) await afterRestart.consume('q', 2, 60_000);
    await store.close();
    store = await openDatabase(file());
    await rejection(new RateLimiter(new RateLimitRepository(store.db), clock).consume('q', 2, 60_000));
  });
});
