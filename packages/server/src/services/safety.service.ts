import type { IdleLogoutDays, RemindersView } from '@latch/protocol';
import type { AccountRow } from '../repositories/account.repository';
import type { DeviceRow } from '../repositories/device.repository';
import type { AccountService } from './account.service';
import type { ServiceContext } from './context';
import type { DeviceService } from './device.service';
import { PIN_REMINDER_AFTER_MS } from './pin.service';
import { sessionExpiresAt } from './session.service';

const DAY_MS = 86_400_000;
/** Every companion is logged out when the phone itself has been away this long. */
export const PHONE_INACTIVE_MS = 14 * DAY_MS;
/** The phone warns this long before an idle logout. */
export const IDLE_WARNING_MS = 3 * DAY_MS;
export const REVIEW_DEVICES_EVERY_MS = 7 * DAY_MS;

/** The safety habits, built in: idle logout, reminders to confirm the PIN and review linked devices. */
export class SafetyService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly devices: DeviceService,
  ) {}

  async setIdleLogout(accountId: string, days: IdleLogoutDays, accounts: AccountService) {
    await this.ctx.repos.accounts.update(accountId, { idle_logout_days: days });
    await this.ctx.bus.publish({ type: 'account.changed', accountId });
    await this.ctx.bus.publish({ type: 'devices.changed', accountId });
    return accounts.get(accountId);
  }

  /**
   * Logs out companions past their absolute lifetime (`expired`, ASVS 7.3.2), companions idle past the
   * account's limit, and all of them when the phone has been away 14 days (`inactive`).
   */
  async sweepIdle(): Promise<number> {
    const now = this.ctx.clock.now();
    const maxAgeMs = this.ctx.config.sessionMaxAgeMs;
    let count = 0;
    for (const account of await this.ctx.repos.accounts.listWithCompanions()) {
      const devices = await this.ctx.repos.devices.listActive(account.id);
      const phone = devices.find((d) => d.kind === 'primary');
      const phoneAway = !phone || now - phone.last_active_at > PHONE_INACTIVE_MS;
      const limit = account.idle_logout_days * DAY_MS;
      const claimed = devices.filter((d) => d.kind === 'companion' && d.claim_hash === null);
      // Online or not: the lifetime is absolute.
      const expired = claimed.filter((d) => now >= (sessionExpiresAt(d, maxAgeMs) ?? Infinity));
      const idle = claimed.filter(
        (d) => !expired.includes(d) && (phoneAway || now - d.last_active_at > limit),
      );
      // A device online right now is not idle, whatever its last timestamp says.
      const stale = idle.filter((d) => d.online_until <= now);
      count += await this.logout(account.id, expired, 'expired');
      count += await this.logout(account.id, stale, 'inactive');
    }
    return count;
  }

  private async logout(accountId: string, devices: DeviceRow[], reason: 'expired' | 'inactive') {
    if (devices.length === 0) return 0;
    return this.devices.logout({ accountId, deviceIds: devices.map((d) => d.id), reason });
  }

  async reminders(accountId: string): Promise<RemindersView> {
    const account = await this.ctx.repos.accounts.findById(accountId);
    if (!account)
      return { pinReminderDue: false, reviewDevicesDue: false, idleWarnings: [], pinResetAvailableAt: null };
    const now = this.ctx.clock.now();
    const companions = (await this.ctx.repos.devices.listActive(accountId, 'companion')).filter(
      (d) => d.claim_hash === null,
    );
    const limit = account.idle_logout_days * DAY_MS;
    return {
      pinReminderDue: pinReminderDue(account, now),
      reviewDevicesDue:
        companions.length > 0 &&
        now - (account.devices_reviewed_at ?? Math.min(...companions.map((d) => d.created_at))) >
          REVIEW_DEVICES_EVERY_MS,
      idleWarnings: companions
        .filter((d) => d.online_until <= now && d.last_active_at + limit - now <= IDLE_WARNING_MS)
        .map((d) => ({ deviceId: d.id, deviceName: d.name, logoutAt: d.last_active_at + limit })),
      pinResetAvailableAt: account.pin_reset_available_at,
    };
  }

  async dismiss(accountId: string, kind: 'pin' | 'review'): Promise<RemindersView> {
    const now = this.ctx.clock.now();
    await this.ctx.repos.accounts.update(
      accountId,
      kind === 'pin' ? { pin_reminder_at: now } : { devices_reviewed_at: now },
    );
    return this.reminders(accountId);
  }
}

function pinReminderDue(account: AccountRow, now: number): boolean {
  if (!account.pin_hash) return false;
  const last = Math.max(account.pin_last_used_at ?? 0, account.pin_reminder_at ?? 0, account.pin_set_at ?? 0);
  return now - last > PIN_REMINDER_AFTER_MS;
}
