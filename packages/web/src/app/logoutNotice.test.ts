import { LogoutReason } from '@latch/protocol';
import { describe, expect, it } from 'vitest';
import { describeLogoutReason, parseEndReason } from './logoutNotice';

describe('logout notice', () => {
  it('OUT-4 names the reason a device was logged out', () => {
    expect(describeLogoutReason('self')).toBe('You logged out on this computer.');
    expect(describeLogoutReason('phone')).toBe('You logged out of this computer from your phone.');
    expect(describeLogoutReason('inactive')).toMatch(/because it was inactive\.$/);
    expect(describeLogoutReason('reregistered')).toMatch(
      /because your number was registered on a new phone\.$/,
    );
    for (const reason of ['admin', 'replayed', 'unauthorized'] as const) {
      expect(describeLogoutReason(reason)).toBe('Your session ended.');
    }
  });

  it('OUT-4 every server reason has a sentence', () => {
    for (const reason of LogoutReason.options) expect(describeLogoutReason(reason)).not.toBe('');
  });

  it('OUT-3 a reason from another tab is validated, unknown values mean the session ended', () => {
    expect(parseEndReason('phone')).toBe('phone');
    expect(parseEndReason('<script>')).toBe('unauthorized');
    expect(parseEndReason(undefined)).toBe('unauthorized');
  });
});
