import type { DeviceView, LogoutReason } from '@latch/protocol';
import { wipedMessage } from '@latch/protocol';
import { verifyDeviceSignature } from '../crypto';
import { forbidden, notFound } from '../errors';
import { presentDevice } from '../presenters';
import { inTransaction, type ServiceContext } from './context';
import type { PinService } from './pin.service';
import type { SecurityService } from './security.service';

export interface LogoutInput {
  accountId: string;
  deviceIds: string[];
  reason: LogoutReason;
  ip?: string | null;
}

/** Listing and logging out an account's devices. Every logout goes through {@link logout}. */
export class DeviceService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly security: SecurityService,
    private readonly pins: PinService,
  ) {}

  /** Logging devices out from the phone needs the PIN when two-step verification is on. */
  private async requirePin(accountId: string, pin: string | undefined, ip: string | null): Promise<void> {
    const account = await this.ctx.repos.accounts.findById(accountId);
    if (account) await this.pins.require(account, pin, ip);
  }

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

  /** The phone logs out one companion. */
  async logoutCompanion(accountId: string, deviceId: string, ip: string, pin?: string): Promise<DeviceView> {
    const device = await this.ctx.repos.devices.findById(deviceId);
    if (!device || device.account_id !== accountId) throw notFound('not_found', 'No such device.');
    if (device.kind !== 'companion')
      throw forbidden('forbidden', 'The phone itself cannot be logged out here.');
    await this.requirePin(accountId, pin, ip);
    await this.logout({ accountId, deviceIds: [deviceId], reason: 'phone', ip });
    const after = await this.list(accountId);
    const view = after.find((d) => d.id === deviceId);
    if (!view) throw notFound('not_found', 'No such device.');
    return view;
  }

  /** "Log out from all devices": every companion of the account. */
  async logoutAllCompanions(accountId: string, ip: string | null, pin?: string): Promise<number> {
    await this.requirePin(accountId, pin, ip);
    const companions = await this.ctx.repos.devices.listActive(accountId, 'companion');
    return this.logout({ accountId, deviceIds: companions.map((d) => d.id), reason: 'phone', ip });
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
