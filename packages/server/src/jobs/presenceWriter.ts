import type { ClientApp } from '@latch/protocol';
import type { PresenceService } from '../services/presence.service';

/** How long socket opens and closes are gathered before they are written together. */
export const PRESENCE_FLUSH_MS = 25;

interface Change {
  online: boolean;
  accountId: string;
  app: ClientApp;
}

/**
 * "Online" and "offline" for device sockets, written in batches. One write transaction per socket
 * open and close made every handshake pay for a commit and made a mass logout (10k sockets closing
 * at once) queue 10k commits behind each other. Changes are kept per device, last one wins, and
 * written every {@link PRESENCE_FLUSH_MS} by {@link PresenceService.write}: one UPDATE per state and
 * batch, then one "devices changed" per account whose computers came or went (the phone's Linked
 * devices list shows "Active now").
 */
export class PresenceWriter {
  private pending = new Map<string, Change>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly presence: PresenceService,
    private readonly background: (work: Promise<unknown>) => void,
    private readonly flushMs = PRESENCE_FLUSH_MS,
  ) {}

  online(deviceId: string, accountId: string, app: ClientApp): void {
    this.note(deviceId, { online: true, accountId, app });
  }

  offline(deviceId: string, accountId: string, app: ClientApp): void {
    this.note(deviceId, { online: false, accountId, app });
  }

  /** Writes what is pending now (the server calls it before closing the store). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const changes = this.pending;
    this.pending = new Map();
    // One flush at a time, in order: a later "offline" must not be overtaken by an earlier "online".
    this.flushing = this.flushing.then(() => this.write(changes));
    return this.flushing;
  }

  private note(deviceId: string, change: Change): void {
    // Re-inserted so that iteration order follows the latest change.
    this.pending.delete(deviceId);
    this.pending.set(deviceId, change);
    if (!this.timer) {
      this.timer = setTimeout(() => this.background(this.flush()), this.flushMs);
      this.timer.unref();
    }
  }

  private async write(changes: Map<string, Change>): Promise<void> {
    if (changes.size === 0) return;
    const online: string[] = [];
    const offline: string[] = [];
    const webAccounts = new Set<string>();
    for (const [deviceId, c] of changes) {
      (c.online ? online : offline).push(deviceId);
      if (c.app === 'web') webAccounts.add(c.accountId);
    }
    await this.presence.write({ online, offline, webAccounts });
  }
}
