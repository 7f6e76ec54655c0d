/** Waits between reconnect attempts: doubling from `baseMs`, capped at `maxMs`. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 15_000 };

/**
 * How long to wait before reconnect attempt `attempt` (1 = the first retry). "Equal jitter": half
 * the doubled delay is fixed, half is random, so thousands of clients dropped by one server restart
 * do not all come back in the same millisecond, and none retries sooner than half the step.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const half = step / 2;
  return Math.round(half + random() * half);
}
