import type { ServiceContext } from './context';

/** A device counts as online this long after its node last confirmed the socket. */
export const ONLINE_TTL_MS = 90_000;
/** Devices per UPDATE: well under SQLite's bound-parameter limit. */
const BATCH = 500;

/** Which devices came online or went offline since the last write (`jobs/presenceWriter.ts`). */
export interface PresenceChanges {
  online: string[];
  offline: string[];
  /** Accounts whose web computers came or went: their phone's Linked devices list is told. */
  webAccounts: Iterable<string>;
}

/** "Online" and "last seen" of devices, written for the sockets a node holds. */
export class PresenceService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Refreshes "online" for every device with a socket here (the heartbeat calls it): one UPDATE per
   * batch, since one per device held the event loop for about a second every 30 s at 10k sockets.
   */
  async refresh(deviceIds: string[]): Promise<void> {
    const now = this.ctx.clock.now();
    for (let i = 0; i < deviceIds.length; i += BATCH)
      await this.ctx.repos.devices.touchMany(deviceIds.slice(i, i + BATCH), now, now + ONLINE_TTL_MS);
  }

  /** Writes a batch of socket opens and closes: one UPDATE per state and batch, then the events. */
  async write(changes: PresenceChanges): Promise<void> {
    const { repos, clock, bus } = this.ctx;
    const now = clock.now();
    for (let i = 0; i < changes.online.length; i += BATCH)
      await repos.devices.touchMany(changes.online.slice(i, i + BATCH), now, now + ONLINE_TTL_MS);
    for (let i = 0; i < changes.offline.length; i += BATCH)
      await repos.devices.setOfflineMany(changes.offline.slice(i, i + BATCH), now);
    for (const accountId of changes.webAccounts) await bus.publish({ type: 'devices.changed', accountId });
  }
}
