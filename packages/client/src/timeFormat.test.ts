import { describe, expect, it } from 'vitest';
import { daysBetween, formatClock, formatClockWithDay } from './timeFormat';

const afternoon = new Date(2026, 2, 3, 14, 5).getTime();

describe('timeFormat', () => {
  it('UI-1 the locale decides the clock: 12-hour in en-US, 24-hour in en-GB and de-DE', () => {
    expect(formatClock(afternoon, 'en-US')).toMatch(/^2:05\sPM$/);
    expect(formatClock(afternoon, 'en-GB')).toBe('14:05');
    expect(formatClock(afternoon, 'de-DE')).toBe('14:05');
  });

  it('UI-1 another day adds the date, in the locale’s order', () => {
    const nextDay = afternoon + 24 * 60 * 60 * 1000;
    expect(formatClockWithDay(afternoon, afternoon + 1000, 'en-GB')).toBe('14:05');
    expect(formatClockWithDay(afternoon, nextDay, 'en-GB')).toBe('14:05, 3 Mar');
    expect(formatClockWithDay(afternoon, nextDay, 'en-US')).toMatch(/^2:05\sPM, Mar 3$/);
    expect(daysBetween(afternoon, nextDay)).toBe(1);
  });
});
