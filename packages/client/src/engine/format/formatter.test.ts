import { describe, expect, it } from 'vitest';
import { createFormatter, formatCountdown, formatWait } from './formatter';
import { formatPhoneNumber, parsePhoneInput } from './phoneNumbers';

const NOW = Date.UTC(2026, 2, 11, 15, 30); // Wednesday 11 March 2026, 15:30 UTC

describe('formatting (ENG-12)', () => {
  it('ENG-12 times follow the locale: a 24-hour clock in en-GB, AM/PM in en-US', () => {
    const gb = createFormatter({ locale: 'en-GB', timeZone: 'UTC' });
    const us = createFormatter({ locale: 'en-US', timeZone: 'UTC' });
    expect(gb.clock(NOW)).toBe('15:30');
    expect(us.clock(NOW)).toBe('3:30 PM');
    expect(createFormatter({ locale: 'de-DE' }).number(1234567)).toBe('1.234.567');
    expect(us.number(1234567)).toBe('1,234,567');
  });

  it('ENG-12 calendar days are counted in the user’s time zone, not in UTC', () => {
    const lateEvening = Date.UTC(2026, 2, 10, 23, 30); // 10 March in UTC, 11 March 08:30 in Tokyo
    const morning = Date.UTC(2026, 2, 11, 10, 0); // 11 March in both
    expect(createFormatter({ locale: 'en-GB', timeZone: 'UTC' }).listTime(lateEvening, morning)).toBe(
      'Yesterday',
    );
    expect(createFormatter({ locale: 'en-GB', timeZone: 'Asia/Tokyo' }).listTime(lateEvening, morning)).toBe(
      '8:30',
    );
  });

  it('ENG-12 list times, day labels and last seen: today, yesterday, this week, older', () => {
    const f = createFormatter({ locale: 'en-GB', timeZone: 'UTC' });
    const day = 24 * 3600_000;
    expect(f.dayLabel(NOW, NOW)).toBe('Today');
    expect(f.dayLabel(NOW - day, NOW)).toBe('Yesterday');
    expect(f.dayLabel(NOW - 3 * day, NOW)).toBe('Sunday');
    expect(f.dayLabel(NOW - 30 * day, NOW)).toBe('9 February 2026');
    expect(f.listTime(NOW - 30 * day, NOW)).toBe('09/02/26');
    expect(f.lastSeen(NOW - day, NOW)).toBe('last seen yesterday at 15:30');
    expect(f.relative(NOW - 5 * 60_000, NOW)).toBe('5 minutes ago');
    expect(f.relative(NOW - day, NOW)).toBe('yesterday');
    expect(formatWait(90_000)).toBe('2 minutes');
    expect(formatCountdown(42_000)).toBe('0:42');
  });

  it('ENG-12 UI-1 a time on another day adds the date, in the locale’s order (moved from timeFormat)', () => {
    const gb = createFormatter({ locale: 'en-GB', timeZone: 'UTC' });
    const us = createFormatter({ locale: 'en-US', timeZone: 'UTC' });
    const nextDay = NOW + 24 * 60 * 60 * 1000;
    expect(gb.clockWithDay(NOW, NOW + 1000)).toBe('15:30');
    expect(gb.clockWithDay(NOW, nextDay)).toBe('15:30, 11 Mar');
    expect(us.clockWithDay(NOW, nextDay)).toMatch(/^3:30\sPM, Mar 11$/);
    expect(createFormatter({ locale: 'de-DE', timeZone: 'UTC' }).clock(NOW)).toBe('15:30');
  });

  it('ENG-12 REG-1 phone numbers: typed forms become E.164, E.164 is shown grouped', () => {
    expect(parsePhoneInput('+1 (201) 555-0123')).toBe('+12015550123');
    expect(parsePhoneInput('0044 20 7946 0958')).toBe('+442079460958');
    expect(parsePhoneInput('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(parsePhoneInput('12')).toBeNull();
    expect(parsePhoneInput('not a number')).toBeNull();
    expect(formatPhoneNumber('+442079460958')).toBe('+44 20 7946 0958');
    expect(formatPhoneNumber('+12015550123')).toBe('+1 201 555 0123');
  });
});
