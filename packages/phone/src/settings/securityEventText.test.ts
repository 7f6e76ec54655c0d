import { LogoutReason, SecurityEventType } from '@latch/protocol';
import { describe, expect, it } from 'vitest';
import { securityEventText } from './securityEventText';

describe('securityEventText', () => {
  it('UI-2 a logout reads as a sentence about the device, with the reason as its own sentence', () => {
    expect(
      securityEventText({ type: 'device_logged_out', deviceName: 'Chrome on Linux', reason: 'phone' }),
    ).toEqual({
      title: 'Chrome on Linux was logged out',
      detail: 'You logged it out from this phone.',
      icon: 'logout',
    });
    for (const reason of LogoutReason.options) {
      const { detail } = securityEventText({
        type: 'device_logged_out',
        deviceName: 'Firefox on macOS',
        reason,
      });
      expect(detail, reason).toMatch(/^[A-Z].*\.$/);
      expect(detail, reason).not.toContain(reason === 'admin' ? '_' : ':');
    }
  });

  it('UI-2 every event type has a title without a colon, stray fragments or "null"', () => {
    for (const type of SecurityEventType.options) {
      for (const e of [
        { type, deviceName: 'Edge on Windows', reason: '3 wrong in a row' },
        { type, deviceName: null, reason: null },
      ]) {
        const text = securityEventText(e);
        expect(text.title, type).not.toMatch(/:|null|undefined/);
        if (text.detail) expect(text.detail, type).toMatch(/^[A-Z0-9].*\.$/);
      }
    }
    expect(
      securityEventText({ type: 'pin_failed', deviceName: null, reason: '3 wrong in a row' }).detail,
    ).toBe('3 wrong in a row.');
  });
});
