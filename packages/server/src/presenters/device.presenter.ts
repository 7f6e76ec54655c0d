import type { DeviceView } from '@latch/protocol';
import { LogoutReason } from '@latch/protocol';
import type { DeviceRow } from '../repositories/device.repository';

/** Which fields of a device leave the server: never its token, claim or revoked token hash. */
export function presentDevice(d: DeviceRow, now: number, idleLogoutDays: number): DeviceView {
  const revoked = d.revoked_at !== null;
  const reason = LogoutReason.safeParse(d.revoked_reason);
  return {
    id: d.id,
    kind: d.kind,
    name: d.name,
    browser: d.browser,
    os: d.os,
    createdAt: d.created_at,
    lastActiveAt: d.last_active_at,
    online: !revoked && d.online_until > now,
    ip: d.ip,
    keepSignedIn: d.keep_signed_in === 1,
    status: revoked ? 'logged_out' : 'active',
    loggedOutAt: d.revoked_at,
    logoutReason: reason.success ? reason.data : null,
    wipedAt: d.wiped_at,
    idleLogoutAt: revoked || d.kind === 'primary' ? null : d.last_active_at + idleLogoutDays * 86_400_000,
  };
}
