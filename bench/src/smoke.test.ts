import { describe, expect, it } from 'vitest';
import { quietEnv } from './harness';
import type { Measurement } from './report';
import { runFanout } from './scenarios/fanout';
import { runIdle } from './scenarios/idle';
import { runLink } from './scenarios/link';
import { runMessages } from './scenarios/messages';
import { runRevoke } from './scenarios/revoke';
import { runStartup } from './scenarios/startup';

/**
 * Smoke runs of every scenario with tiny parameters: they prove the bench still speaks the protocol and
 * produces well-formed results. Performance is never asserted here (see docs/performance.md).
 */
const SCENARIO_TIMEOUT_MS = 40_000;

function expectWellFormed(measurements: Measurement[], scenario: string): void {
  expect(measurements.length).toBeGreaterThan(0);
  for (const m of measurements) {
    expect(m.scenario).toBe(scenario);
    expect(m.measurement.length).toBeGreaterThan(0);
    for (const value of Object.values(m.values)) {
      if (value !== null) expect(Number.isFinite(value)).toBe(true);
    }
    for (const t of m.targets) expect(Object.keys(m.values)).toContain(t.metric);
  }
}

const valuesOf = (measurements: Measurement[], index = 0) => measurements[index]?.values ?? {};

describe('bench scenarios (smoke: tiny N, no performance asserted)', () => {
  it(
    'idle connects and authenticates every device and reports memory',
    async () => {
      const result = await runIdle({ n: 8, concurrency: 4, settleMs: 500 }, quietEnv);
      expectWellFormed(result, 'idle');
      const v = valuesOf(result);
      expect(v.connected).toBe(8);
      expect(v.stillOpen).toBe(8);
      expect(v.rssAfterKb).toBeGreaterThan(0);
      expect(v.sessionsPerSec).toBeGreaterThan(0);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'messages delivers every message once with latencies',
    async () => {
      const result = await runMessages({ pairs: 2, rate: 20, durationS: 1, search: false }, quietEnv);
      expectWellFormed(result, 'messages');
      const v = valuesOf(result);
      expect(v.delivered).toBeGreaterThan(0);
      expect(v.lost).toBe(0);
      expect(v.duplicates).toBe(0);
      expect(v.sendErrors).toBe(0);
      expect(v.latencyP99Ms).not.toBeNull();
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'fanout reaches all five devices of the account',
    async () => {
      const result = await runFanout({ rate: 10, senders: 1, durationS: 1 }, quietEnv);
      expectWellFormed(result, 'fanout');
      const v = valuesOf(result);
      expect(v.expected).toBe((v.sent ?? 0) * 5);
      expect(v.delivered).toBe(v.expected);
      expect(v.lost).toBe(0);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'revoke times logoutAll over re-linked computers and an operator revocation',
    async () => {
      const result = await runRevoke({ trials: 2, others: 4, operatorN: 4 }, quietEnv);
      expectWellFormed(result, 'revoke');
      expect(valuesOf(result, 0).trials).toBe(2);
      expect(valuesOf(result, 0).missed).toBe(0);
      expect(valuesOf(result, 1).revoked).toBe(4);
      expect(valuesOf(result, 1).closed).toBe(4);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'link completes approve → claim over the real protocol',
    async () => {
      const result = await runLink({ links: 3, browserRuns: 0 }, quietEnv);
      expectWellFormed(result, 'link');
      expect(valuesOf(result).links).toBe(3);
      expect(valuesOf(result).p99Ms).toBeGreaterThan(0);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'startup times a cold start and sizes the apps (or says why not)',
    async () => {
      const result = await runStartup({ readyRuns: 1 }, quietEnv);
      expectWellFormed(result, 'startup');
      expect(valuesOf(result).medianMs).toBeGreaterThan(0);
      expect(result.find((m) => m.measurement.startsWith('idle RSS'))?.values.medianMb).toBeGreaterThan(0);
      for (const bundle of result.filter((m) => m.measurement.endsWith('(gzip)'))) {
        expect(bundle.values.gzipKb !== undefined || bundle.notes.some((n) => n.startsWith('skipped'))).toBe(
          true,
        );
      }
    },
    SCENARIO_TIMEOUT_MS,
  );
});
