import type { AccountView, DeviceView, SecurityEventView } from '@latch/protocol';
import { IdleLogoutDays, LogoutReason, SecurityEventType } from '@latch/protocol';
import type { AccountRow } from './repositories/account.repository';
import type { DeviceRow } from './repositories/device.repository';
import type { SecurityEventRow } from './repositories/securityEvent.repository';

/** Presenters decide which fields leave the server: never a hash, a token or a claim code. */

export function presentAccount(a: AccountRow, identityKey: string): AccountView {
  return {
    id: a.id,
    phoneNumber: a.phone_number,
    name: a.name,
    identityKey,
    twoStepEnabled: a.pin_hash !== null,
    recoveryEmail: a.recovery_email ? maskEmail(a.recovery_email) : null,
    idleLogoutDays: IdleLogoutDays.catch(30).parse(a.idle_logout_days),
  };
}

/** "ada@example.com" → "a••@example.com": enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const [user = '', domain = ''] = email.split('@');
  return `${user.slice(0, 1)}${'•'.repeat(Math.max(2, user.length - 1))}@${domain}`;
}

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

export function presentSecurityEvent(e: SecurityEventRow): SecurityEventView {
  return {
    id: e.id,
    type: SecurityEventType.parse(e.type),
    at: e.at,
    deviceId: e.device_id,
    deviceName: e.device_name,
    reason: e.reason,
    ip: e.ip,
  };
}
