import type { AccountView } from '@latch/protocol';
import { IdleLogoutDays } from '@latch/protocol';
import type { AccountRow } from '../repositories/account.repository';

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
