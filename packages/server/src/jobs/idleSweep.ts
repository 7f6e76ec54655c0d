import type { Logger } from 'pino';
import type { SafetyService } from '../services/safety.service';

/**
 * Idle devices are logged out by a sweep. Every node may run it: a revocation happens only once
 * (IDLE rules in docs/spec.md).
 */
export function startIdleSweep(safety: Pick<SafetyService, 'sweepIdle'>, intervalMs: number, log: Logger) {
  const timer = setInterval(() => {
    safety.sweepIdle().catch((err: unknown) => log.error({ err }, 'idle sweep failed'));
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
