import type { ClientApp, LogoutReason } from '@latch/protocol';
import { digestsEqual, randomToken, sha256 } from '../crypto';
import type { AccountRow } from '../repositories/account.repository';
import type { DeviceRow } from '../repositories/device.repository';
import type { Db } from '../store/database';
import type { ServiceContext } from './context';
import type { DeviceService } from './device.service';

/** A browser-session ("Keep me signed in" unticked) lasts at most 12 h, or 30 min idle. */
export const SHARED_ABSOLUTE_MS = 12 * 60 * 60_000;
export const SHARED_IDLE_MS = 30 * 60_000;

/** A companion's session ends `maxAgeMs` after its link, whatever it does (ASVS 7.3.2); the phone's does not. */
export function sessionExpiresAt(d: Pick<DeviceRow, 'kind' | 'created_at'>, maxAgeMs: number): number | null {
  return d.kind === 'companion' ? d.created_at + maxAgeMs : null;
}

export type SessionCheck =
  | { kind: 'ok'; device: DeviceRow; account: AccountRow }
  | { kind: 'revoked'; deviceId: string; reason: LogoutReason }
  | { kind: 'none' };

/** Session credentials: `deviceId.secret` in the cookie, only SHA-256(secret) in the store. */
export class SessionService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly devices: () => DeviceService,
  ) {}

  /** Makes a new credential for a device inside the caller's transaction; returns the cookie value. */
  async issue(deviceId: string, trx: Db): Promise<string> {
    const secret = randomToken(32);
    await this.ctx.repos.devices.setToken(deviceId, sha256(secret), trx);
    return `${deviceId}.${secret}`;
  }

  /**
   * Checks a cookie value for an app. Expired shared-computer sessions are logged out here.
   * Nothing is said about a device to anyone without its secret (SEC-4): an unknown id, a wrong
   * secret or another app's device are all `none`; `revoked` (with the reason) only for the secret
   * the device held when it was logged out.
   */
  async check(cookie: string | undefined, app: ClientApp): Promise<SessionCheck> {
    const dot = cookie?.indexOf('.') ?? -1;
    if (!cookie || dot < 1) return { kind: 'none' };
    const deviceId = cookie.slice(0, dot);
    const presented = sha256(cookie.slice(dot + 1));
    const device = await this.ctx.repos.devices.findById(deviceId);
    if (!device) return { kind: 'none' };
    if (device.kind !== (app === 'phone' ? 'primary' : 'companion')) return { kind: 'none' };
    if (device.revoked_at !== null) {
      if (!device.revoked_token_hash || !digestsEqual(device.revoked_token_hash, presented)) {
        return { kind: 'none' };
      }
      return { kind: 'revoked', deviceId, reason: (device.revoked_reason ?? 'self') as LogoutReason };
    }
    if (!device.token_hash || !digestsEqual(device.token_hash, presented)) return { kind: 'none' };
    const ended = this.endedReason(device);
    if (ended) {
      await this.devices().logout({ accountId: device.account_id, deviceIds: [device.id], reason: ended });
      return { kind: 'revoked', deviceId, reason: ended };
    }
    const account = await this.ctx.repos.accounts.findById(device.account_id);
    if (!account) return { kind: 'none' };
    return { kind: 'ok', device, account };
  }

  /**
   * Checks again, after the device signed its challenge, that it was not logged out meanwhile.
   * Only the device row can have changed in those milliseconds; the account is taken from the first check.
   */
  async recheck(first: Extract<SessionCheck, { kind: 'ok' }>): Promise<SessionCheck> {
    const device = await this.ctx.repos.devices.findById(first.device.id);
    if (!device) return { kind: 'none' };
    if (device.revoked_at !== null) {
      return {
        kind: 'revoked',
        deviceId: device.id,
        reason: (device.revoked_reason ?? 'self') as LogoutReason,
      };
    }
    if (device.token_hash !== first.device.token_hash) return { kind: 'none' };
    return { kind: 'ok', device, account: first.account };
  }

  /**
   * When a companion's session ends whatever it does (ASVS 7.3.2): SESSION_MAX_AGE_DAYS after its
   * link. A new link is a new device row, so it starts a new session. Null for the phone.
   */
  expiresAt(d: DeviceRow): number | null {
    return sessionExpiresAt(d, this.ctx.config.sessionMaxAgeMs);
  }

  /** Why a session that still holds a credential must end now, if it must. */
  private endedReason(d: DeviceRow): 'expired' | 'inactive' | null {
    const expiresAt = this.expiresAt(d);
    if (expiresAt !== null && this.ctx.clock.now() >= expiresAt) return 'expired';
    return this.sharedSessionExpired(d) ? 'inactive' : null;
  }

  private sharedSessionExpired(d: DeviceRow): boolean {
    if (d.keep_signed_in === 1) return false;
    const now = this.ctx.clock.now();
    return now - d.created_at > SHARED_ABSOLUTE_MS || now - d.last_active_at > SHARED_IDLE_MS;
  }
}
