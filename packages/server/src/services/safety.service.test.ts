import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../clock';
import { linkHeadlessComputer, registerHeadlessPhone } from '../headless/headlessDevice';
import { startTestServer, type TestServer } from '../testing/testServer';

const DAY = 86_400_000;

describe('safety habits, built in', () => {
  let t: TestServer;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    t = await startTestServer({ clock });
  });
  afterEach(async () => {
    await t.close();
  });

  async function phoneWithComputer() {
    const phone = await registerHeadlessPhone(t.url, '+15550200001', 'Ada', t.readCode);
    const computer = await linkHeadlessComputer(t.url, phone);
    const socket = await computer.connect();
    const { deviceId } = await socket.ready;
    socket.close();
    await socket.closed;
    // The server writes "offline, last active now" in batches: let it land before the clock moves,
    // or a busy machine writes it days later on the test's clock and the computer looks active.
    await vi.waitFor(() => expect(t.server.conns.deviceIds()).not.toContain(deviceId));
    await t.server.presence.flush();
    return { phone, computer };
  }

  it('IDLE-1 the sweep logs out computers idle past the account limit (default 1 month), warning 3 days ahead', async () => {
    const { phone, computer } = await phoneWithComputer();
    const safety = t.server.services.safety;
    const primary = (await t.server.services.devices.list(phone.accountId)).find(
      (d) => d.kind === 'primary',
    )!;
    // The phone stays in use (its heartbeat refreshes it); only the computer is idle.
    const touchPhone = () => t.server.ctx.repos.devices.touch(primary.id, clock.now(), clock.now() + 90_000);
    clock.advance(26 * DAY);
    await touchPhone();
    expect((await phone.socket.request('reminders.get', {})).idleWarnings).toEqual([]);
    clock.advance(2 * DAY);
    await touchPhone();
    const warn = await phone.socket.request('reminders.get', {});
    expect(warn.idleWarnings).toHaveLength(1);
    expect(warn.idleWarnings[0]?.deviceName).toBe('Chrome on Linux');
    expect(await safety.sweepIdle()).toBe(0);
    clock.advance(2 * DAY + 1);
    await touchPhone();
    expect(await safety.sweepIdle()).toBe(1);
    const after = await phone.socket.request('devices.list', {});
    expect(after.devices.find((d) => d.kind === 'companion')).toMatchObject({
      status: 'logged_out',
      logoutReason: 'inactive',
    });
    expect((await computer.http('GET', '/v1/session?client=web')).json).toMatchObject({
      error: { code: 'unauthorized', details: { reason: 'inactive' } },
    });
  });

  it('IDLE-2 the limit is an account setting: 1 week logs out after 7 days', async () => {
    const { phone } = await phoneWithComputer();
    const account = await phone.socket.request('account.setIdleLogout', { days: 7 });
    expect(account.idleLogoutDays).toBe(7);
    const bad = await phone.socket.raw('account.setIdleLogout', { days: 10 });
    expect(bad.ok).toBe(false);
    clock.advance(7 * DAY + 1);
    const primary = (await t.server.services.devices.list(phone.accountId)).find(
      (d) => d.kind === 'primary',
    )!;
    await t.server.ctx.repos.devices.touch(primary.id, clock.now(), clock.now() + 90_000);
    expect(await t.server.services.safety.sweepIdle()).toBe(1);
  });

  it('IDLE-3 every computer is logged out when the phone itself has been inactive for 14 days', async () => {
    const { phone } = await phoneWithComputer();
    phone.socket.close();
    await phone.socket.closed;
    const computers = await t.server.ctx.repos.devices.listActive(phone.accountId, 'companion');
    // The computer stays in use; only the phone is away.
    clock.advance(13 * DAY);
    await t.server.ctx.repos.devices.touch(computers[0]!.id, clock.now(), 0);
    expect(await t.server.services.safety.sweepIdle()).toBe(0);
    clock.advance(1 * DAY + 1);
    await t.server.ctx.repos.devices.touch(computers[0]!.id, clock.now(), 0);
    expect(await t.server.services.safety.sweepIdle()).toBe(1);
  });

  it('REM-1 a weekly "review your linked devices" reminder when there are computers; dismissing resets it', async () => {
    const { phone } = await phoneWithComputer();
    expect((await phone.socket.request('reminders.get', {})).reviewDevicesDue).toBe(false);
    clock.advance(7 * DAY + 1);
    expect((await phone.socket.request('reminders.get', {})).reviewDevicesDue).toBe(true);
    expect((await phone.socket.request('reminders.dismiss', { kind: 'review' })).reviewDevicesDue).toBe(
      false,
    );
    clock.advance(7 * DAY + 1);
    expect((await phone.socket.request('reminders.get', {})).reviewDevicesDue).toBe(true);
  });

  it('REM-2 the PIN reminder comes after 7 days without using the PIN and goes when it is confirmed', async () => {
    const phone = await registerHeadlessPhone(t.url, '+15550200002', 'Bo', t.readCode);
    expect((await phone.socket.request('reminders.get', {})).pinReminderDue).toBe(false);
    await phone.socket.request('pin.set', { pin: '275913' });
    clock.advance(7 * DAY - 1000);
    expect((await phone.socket.request('reminders.get', {})).pinReminderDue).toBe(false);
    clock.advance(2000);
    expect((await phone.socket.request('reminders.get', {})).pinReminderDue).toBe(true);
    await phone.socket.request('pin.confirm', { pin: '275913' });
    expect((await phone.socket.request('reminders.get', {})).pinReminderDue).toBe(false);
  });

  it('UA-1 GET /v1/client-config gives the minimum and current browser versions', async () => {
    const res = await fetch(`${t.url}/v1/client-config`);
    const body = (await res.json()) as { minBrowserVersions: Record<string, number> };
    expect(body.minBrowserVersions.chrome).toBeGreaterThan(100);
    expect(body).toHaveProperty('currentBrowserVersions.firefox');
  });
});
