import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { parseConfig } from '../config';
import { DeviceSocket } from '../headless/headlessDevice';
import {
  approveStarted,
  claim,
  errorOf,
  expectRefused,
  linkConnected,
  registerPhone,
  startLink,
} from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';

const DAY = 86_400_000;
const NUMBER = '+15550008000';

describe('absolute session lifetime (ASVS 7.3.2)', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('AUTH-6 SESSION_MAX_AGE_DAYS defaults to 180 days', () => {
    expect(parseConfig({}).sessionMaxAgeMs).toBe(180 * DAY);
    expect(parseConfig({ SESSION_MAX_AGE_DAYS: '7' }).sessionMaxAgeMs).toBe(7 * DAY);
    expect(() => parseConfig({ SESSION_MAX_AGE_DAYS: '0' })).toThrow();
  });

  it('AUTH-6 a computer in daily use is logged out (expired) when its session reaches its lifetime; a new link starts a new one', async () => {
    const clock = new ManualClock(Date.now());
    t = await startTestServer({ clock, env: { SESSION_MAX_AGE_DAYS: '7' } });
    const phone = await registerPhone(t, NUMBER);
    const linked = await linkConnected(t, phone);
    linked.socket.close();
    await linked.socket.closed;
    // Used every day: never idle.
    for (let day = 1; day < 7; day++) {
      clock.advance(DAY);
      const s = await linked.computer.connect();
      s.close();
      await s.closed;
    }
    clock.advance(DAY - 60_000);
    expect((await linked.computer.http('GET', '/v1/session?client=web')).status).toBe(200);
    clock.advance(60_000);
    // The handshake refuses it first (before the 401 below clears the headless browser's cookie).
    expect(await expectRefused(new DeviceSocket(linked.computer))).toEqual({ code: 4403, reason: 'expired' });
    const refused = await linked.computer.http('GET', '/v1/session?client=web');
    expect(refused.status).toBe(401);
    expect(errorOf(refused.json)?.details).toEqual({ reason: 'expired' });
    expect(refused.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"');
    const { events } = await phone.socket.request('security.list', {});
    expect(events.find((e) => e.type === 'device_logged_out')).toMatchObject({
      deviceId: linked.deviceId,
      reason: 'expired',
    });

    const again = await linkConnected(t, phone);
    expect(again.deviceId).not.toBe(linked.deviceId);
    expect((await again.computer.http('GET', '/v1/session?client=web')).status).toBe(200);
  });

  it('AUTH-6 the sweep logs out an expired computer even while its socket is open; the phone stays', async () => {
    const clock = new ManualClock(Date.now());
    t = await startTestServer({ clock, env: { SESSION_MAX_AGE_DAYS: '7' } });
    const phone = await registerPhone(t, NUMBER);
    const linked = await linkConnected(t, phone);
    clock.advance(7 * DAY - 1);
    expect(await t.server.services.safety.sweepIdle()).toBe(0);
    clock.advance(1);
    expect(await t.server.services.safety.sweepIdle()).toBe(1);
    expect(await linked.socket.closed).toEqual({ code: 4403, reason: 'expired' });
    const { devices } = await phone.socket.request('devices.list', {});
    expect(devices.find((d) => d.id === linked.deviceId)).toMatchObject({
      status: 'logged_out',
      logoutReason: 'expired',
    });
    expect(devices.find((d) => d.kind === 'primary')?.status).not.toBe('logged_out');
  });

  it('AUTH-6 the cookie’s Max-Age never exceeds the session lifetime', async () => {
    t = await startTestServer({ env: { SESSION_MAX_AGE_DAYS: '7' } });
    const phone = await registerPhone(t, NUMBER);
    const l = await startLink(t);
    const approved = await approveStarted(phone, l);
    const claimed = await claim(l.computer, approved.claimCode);
    l.attempt.ws.terminate();
    const maxAge = Number(/;\s*Max-Age=(\d+)/i.exec(claimed.headers.getSetCookie()[0] ?? '')?.[1]);
    expect(maxAge).toBeLessThanOrEqual(7 * 86_400);
    expect(maxAge).toBeGreaterThan(7 * 86_400 - 120);
  });
});
