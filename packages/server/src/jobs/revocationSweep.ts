import { LogoutReason } from '@latch/protocol';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { RevokedDevice } from '../domain/device';
import type { DeviceService } from '../services/device.service';
import type { BusRouter } from '../ws/busRouter';
import type { Connections } from '../ws/connections';

/**
 * How often a node looks for revocations it was not told about. An operator's mass logout (another
 * process: no bus) commits in batches over half a second or more; at the former 500 ms a batch could
 * wait that long to be seen. A quiet sweep is one indexed count, so sweeping often costs little.
 */
export const SWEEP_INTERVAL_MS = 100;
/** Look back a little further than the interval, for commits that landed while the last sweep ran. */
const OVERLAP_MS = 5_000;
/**
 * New rows are first looked for this far behind the newest known one: a transaction that stamped its
 * rows a little earlier may commit a little later. Anything older is found by the full re-read.
 */
const RECENT_MS = 100;

/** Where the sweep reads revocations from. */
export type RevocationSource = Pick<DeviceService, 'revokedSince' | 'countRevokedSince'>;

interface Revoked {
  reason: string | null;
  at: number;
}

/**
 * The bus is fast but may drop an event (a Redis restart) or not reach this process at all (the
 * `latch logout` command runs elsewhere). So every node also re-reads recent revocations from the
 * store and closes any socket it still holds open for them.
 */
export function startRevocationSweep(
  devices: RevocationSource,
  clock: Clock,
  conns: Connections,
  router: Pick<BusRouter, 'handle'>,
  log: Logger,
) {
  const revoked = new RevokedWindow(devices, clock, clock.now() - OVERLAP_MS);
  let running = false;
  let stopped = false;
  const sweep = async () => {
    if (running) return;
    // Nothing to close; a window kept from long ago would make the next sweep read all of it.
    if (conns.size === 0) return revoked.restart();
    running = true;
    try {
      await revoked.refresh();
      for (const [reason, deviceIds] of heldOpenByReason(revoked.known, conns)) {
        router.handle({ type: 'devices.revoked', deviceIds, reason });
      }
    } catch (err) {
      log.error({ err }, 'revocation sweep failed');
    } finally {
      running = false;
    }
  };
  let timer: NodeJS.Timeout | undefined;
  // Each sweep waits for the one before: a sweep closing thousands of sockets outlasts the interval.
  const schedule = () => {
    timer = setTimeout(async () => {
      await sweep();
      if (!stopped) schedule();
    }, SWEEP_INTERVAL_MS);
    timer.unref();
  };
  schedule();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
    sweep,
  };
}

/**
 * The devices revoked in the look-back window, kept in memory. After a mass logout the window holds
 * 10k rows for 5 s, and reading them all on every sweep took 10–20 ms of the event loop each time.
 * So rows are read only when the store counts a different number than is known, first just the
 * recent ones; the whole window again only when the counts still disagree.
 */
class RevokedWindow {
  readonly known = new Map<string, Revoked>();

  constructor(
    private readonly devices: RevocationSource,
    private readonly clock: Clock,
    private since: number,
  ) {}

  /** Forgets everything and looks back from now on. */
  restart(): void {
    this.known.clear();
    this.since = this.clock.now() - OVERLAP_MS;
  }

  async refresh(): Promise<void> {
    const { devices } = this;
    const now = this.clock.now();
    for (const [id, r] of this.known) if (r.at < this.since) this.known.delete(id);
    const count = await devices.countRevokedSince(this.since);
    if (count !== this.known.size) {
      let newest = this.since;
      for (const r of this.known.values()) newest = Math.max(newest, r.at);
      this.add(await devices.revokedSince(Math.max(this.since, newest - RECENT_MS)));
      if (count !== this.known.size) {
        this.known.clear();
        this.add(await devices.revokedSince(this.since));
      }
    }
    this.since = now - OVERLAP_MS;
  }

  private add(devices: RevokedDevice[]) {
    for (const d of devices) this.known.set(d.id, { reason: d.reason, at: d.revokedAt ?? this.since });
  }
}

/**
 * The revoked devices this node still holds an open socket for, grouped by reason: one router event
 * per reason rather than one per device. Sockets already closing are left to finish.
 */
export function heldOpenByReason(
  revoked: ReadonlyMap<string, { reason: string | null }>,
  conns: Pick<Connections, 'ofDevice'>,
): Map<LogoutReason, string[]> {
  const held = new Map<LogoutReason, string[]>();
  for (const [id, r] of revoked) {
    if (!conns.ofDevice(id).some((c) => c.ws.readyState === c.ws.OPEN)) continue;
    const parsed = LogoutReason.safeParse(r.reason);
    const reason = parsed.success ? parsed.data : 'admin';
    const ids = held.get(reason);
    if (ids) ids.push(id);
    else held.set(reason, [id]);
  }
  return held;
}
