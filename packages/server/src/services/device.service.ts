import type { DeviceView, LogoutReason } from '@latch/protocol';
import { wipedMessage } from '@latch/protocol';
import type { BusEvent } from '../bus/events';
import { verifyDeviceSignature } from '../crypto';
import type { RevokedDevice } from '../domain/device';
import { forbidden, notFound } from '../errors';
import { presentDevice } from '../presenters/device.presenter';
import { inTransaction, type ServiceContext } from './context';
import type { SecurityService } from './security.service';

export interface LogoutInput {
  accountId: string;
  deviceIds: string[];
  reason: LogoutReason;
  ip?: string | null;
}

/** Whose computers an operator logs out at once: these accounts', or every one on the server. */
export type BulkLogoutInput = ({ accountIds: string[] } | { allCompanions: true }) & {
  reason: LogoutReason;
  ip?: string | null;
};

/**
 * Accounts per transaction of {@link DeviceService.logoutMany}. One transaction per account made 10k
 * devices 2,500 commits (2.4 s); one for all would hold the store's write lock (and so every other
 * writer) for the whole run, and no socket would close before the end. 250 ids per statement is far
 * below SQLite's 32766 bound parameters.
 */
const BULK_ACCOUNTS = 250;

/** Listing and logging out an account's devices. Every logout goes through {@link logout} or {@link logoutMany}. */
export class DeviceService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly security: SecurityService,
  ) {}

  async list(accountId: string): Promise<DeviceView[]> {
    const account = await this.ctx.repos.accounts.findById(accountId);
    const rows = await this.ctx.repos.devices.listByAccount(accountId);
    const now = this.ctx.clock.now();
    // Logged-out devices stay visible for 30 days so the phone can show whether they wiped.
    return rows
      .filter((d) => d.revoked_at === null || now - d.revoked_at < 30 * 86_400_000)
      .filter((d) => d.revoked_at !== null || d.claim_hash === null)
      .map((d) => presentDevice(d, now, account?.idle_logout_days ?? 30));
  }

  /**
   * Deletes the credentials of these devices in one transaction, records a security event for each,
   * and after the commit tells every node to close their sockets.
   */
  async logout(input: LogoutInput): Promise<number> {
    return inTransaction(this.ctx, async (trx, publish) => {
      const ids = input.deviceIds;
      const owned = (await this.ctx.repos.devices.listActive(input.accountId, undefined, trx)).filter((d) =>
        ids.includes(d.id),
      );
      const revoked = await this.ctx.repos.devices.revoke(
        owned.map((d) => d.id),
        input.reason,
        this.ctx.clock.now(),
        trx,
      );
      for (const d of revoked) {
        await this.security.record(
          trx,
          {
            accountId: input.accountId,
            type: 'device_logged_out',
            deviceId: d.id,
            deviceName: d.name,
            reason: input.reason,
            ip: input.ip ?? null,
          },
          publish,
        );
      }
      if (revoked.length > 0) {
        publish({ type: 'devices.revoked', deviceIds: revoked.map((d) => d.id), reason: input.reason });
        publish({ type: 'devices.changed', accountId: input.accountId });
      }
      return revoked.length;
    });
  }

  /**
   * An operator's mass logout of companions (phones stay): {@link logout}'s rules and security events,
   * in transactions of {@link BULK_ACCOUNTS} accounts, each followed by one `devices.revoked` for all
   * its devices. Returns how many were logged out.
   */
  async logoutMany(input: BulkLogoutInput): Promise<number> {
    if ('accountIds' in input) {
      const unique = [...new Set(input.accountIds)];
      let count = 0;
      for (let i = 0; i < unique.length; i += BULK_ACCOUNTS)
        count += await this.revokeCompanionsOf(unique.slice(i, i + BULK_ACCOUNTS), input);
      return count;
    }
    // Every account with a computer, a page at a time (keyset on the account id).
    let count = 0;
    let afterAccountId = '';
    for (;;) {
      const page = await this.ctx.repos.devices.listAccountsWithActiveCompanions(
        afterAccountId,
        BULK_ACCOUNTS,
      );
      count += await this.revokeCompanionsOf(page, input);
      const last = page.at(-1);
      if (last === undefined || page.length < BULK_ACCOUNTS) return count;
      afterAccountId = last;
    }
  }

  /**
   * One transaction of {@link logoutMany}: revokes the companions of these accounts and records a
   * security event for each; publishes after the commit. Returns how many it revoked.
   */
  private async revokeCompanionsOf(accountIds: string[], input: BulkLogoutInput): Promise<number> {
    if (accountIds.length === 0) return 0;
    const events: BusEvent[] = [];
    const count = await this.ctx.db.transaction().execute(async (trx) => {
      const revoked = await this.ctx.repos.devices.revokeCompanionsOf(
        accountIds,
        input.reason,
        this.ctx.clock.now(),
        trx,
      );
      if (revoked.length === 0) return 0;
      // First, so that nodes close the sockets before they refresh phones' lists and logs.
      events.push({ type: 'devices.revoked', deviceIds: revoked.map((d) => d.id), reason: input.reason });
      for (const accountId of new Set(revoked.map((d) => d.account_id)))
        events.push({ type: 'devices.changed', accountId });
      const logged = revoked.map((d) => ({
        accountId: d.account_id,
        type: 'device_logged_out' as const,
        deviceId: d.id,
        deviceName: d.name,
        reason: input.reason,
        ip: input.ip ?? null,
      }));
      await this.security.recordMany(trx, logged, (e) => events.push(e));
      return revoked.length;
    });
    // Only after the commit, as inTransaction does; but all at once rather than one after another, so
    // a Redis bus pipelines the batch's hundreds of events instead of waiting a round trip for each.
    await Promise.all(events.map((e) => this.ctx.bus.publish(e)));
    return count;
  }

  /** The phone logs out one companion; the gateway has checked the PIN (`rpcPolicy`). */
  async logoutCompanion(accountId: string, deviceId: string, ip: string): Promise<DeviceView> {
    const device = await this.ctx.repos.devices.findById(deviceId);
    if (!device || device.account_id !== accountId) throw notFound('not_found', 'No such device.');
    if (device.kind !== 'companion')
      throw forbidden('forbidden', 'The phone itself cannot be logged out here.');
    await this.logout({ accountId, deviceIds: [deviceId], reason: 'phone', ip });
    const after = await this.list(accountId);
    const view = after.find((d) => d.id === deviceId);
    if (!view) throw notFound('not_found', 'No such device.');
    return view;
  }

  /** The phone names one of its linked computers (DEV-1); every device of the account is told. */
  async rename(accountId: string, deviceId: string, name: string): Promise<DeviceView> {
    const device = await this.ctx.repos.devices.findById(deviceId);
    if (!device || device.account_id !== accountId) throw notFound('not_found', 'No such device.');
    if (device.kind !== 'companion') throw forbidden('forbidden', 'Only linked computers can be renamed.');
    await inTransaction(this.ctx, async (trx, publish) => {
      await this.ctx.repos.devices.rename(deviceId, name, trx);
      publish({ type: 'devices.changed', accountId });
    });
    const view = (await this.list(accountId)).find((d) => d.id === deviceId);
    if (!view) throw notFound('not_found', 'No such device.');
    return view;
  }

  /** "Log out from all devices": every companion of the account (the caller checked the PIN). */
  async logoutAllCompanions(accountId: string, ip: string | null): Promise<number> {
    const companions = await this.ctx.repos.devices.listActive(accountId, 'companion');
    return this.logout({ accountId, deviceIds: companions.map((d) => d.id), reason: 'phone', ip });
  }

  /** Devices logged out at or after `since`, on any node or process (the revocation sweep). */
  async revokedSince(since: number): Promise<RevokedDevice[]> {
    const rows = await this.ctx.repos.devices.revokedSince(since);
    return rows.map((r) => ({ id: r.id, reason: r.revoked_reason, revokedAt: r.revoked_at }));
  }

  /** How many devices were logged out at or after `since`: one indexed count. */
  countRevokedSince(since: number): Promise<number> {
    return this.ctx.repos.devices.countRevokedSince(since);
  }

  /** A logged-out browser proves (with the key it is about to drop) that it wiped itself. */
  async confirmWiped(deviceId: string, at: number, signature: string, ip: string): Promise<void> {
    const device = await this.ctx.repos.devices.findById(deviceId);
    const now = this.ctx.clock.now();
    if (
      !device ||
      device.revoked_at === null ||
      Math.abs(now - at) > 10 * 60_000 ||
      !verifyDeviceSignature(device.public_key, wipedMessage(deviceId, at), signature)
    ) {
      throw forbidden('signature_invalid', 'This wipe report could not be verified.');
    }
    if (device.wiped_at !== null) return;
    await inTransaction(this.ctx, async (trx, publish) => {
      await this.ctx.repos.devices.markWiped(deviceId, now, trx);
      await this.security.record(
        trx,
        { accountId: device.account_id, type: 'device_wiped', deviceId, deviceName: device.name, ip },
        publish,
      );
      publish({ type: 'devices.changed', accountId: device.account_id });
    });
  }
}
