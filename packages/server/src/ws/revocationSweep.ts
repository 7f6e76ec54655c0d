import { LogoutReason } from '@latch/protocol';
import type { Logger } from 'pino';
import type { ServiceContext } from '../services/context';
import type { BusRouter } from './busRouter';
import type { Connections } from './connections';

export const SWEEP_INTERVAL_MS = 500;
/** Look back a little further than the interval, for commits that landed while the last sweep ran. */
const OVERLAP_MS = 5_000;

/**
 * The bus is fast but may drop an event (a Redis restart) or not reach this process at all (the
 * `latch logout` command runs elsewhere). So every node also re-reads recent revocations from the
 * store and closes any socket it still holds for them.
 */
export function startRevocationSweep(
  ctx: ServiceContext,
  conns: Connections,
  router: BusRouter,
  log: Logger,
) {
  let since = ctx.clock.now() - OVERLAP_MS;
  let running = false;
  const sweep = async () => {
    if (running || conns.size === 0) return;
    running = true;
    try {
      const now = ctx.clock.now();
      const rows = await ctx.repos.devices.revokedSince(since);
      since = now - OVERLAP_MS;
      for (const row of rows) {
        if (conns.ofDevice(row.id).length === 0) continue;
        const reason = LogoutReason.safeParse(row.revoked_reason);
        router.handle({
          type: 'devices.revoked',
          deviceIds: [row.id],
          reason: reason.success ? reason.data : 'admin',
        });
      }
    } catch (err) {
      log.error({ err }, 'revocation sweep failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer), sweep };
}
