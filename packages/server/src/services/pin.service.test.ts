import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { linkHeadlessComputer, registerHeadlessPhone } from '../headless/headlessDevice';
import { startTestServer, type TestServer } from '../testing/testServer';
import { PIN_FAILURES_TO_CLOSE } from './pin.service';

type Phone = Awaited<ReturnType<typeof registerHeadlessPhone>>;

async function errorOf(p: Promise<unknown>): Promise<{ code?: string; details?: { retryAfterMs?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as { code?: string; details?: { retryAfterMs?: number } };
  }
  throw new Error('expected a failure');
}

describe('two-step verification PIN', () => {
  let t: TestServer;
  let clock: ManualClock;
  let phone: Phone;

  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    t = await startTestServer({ clock });
    phone = await registerHeadlessPhone(t.url, '+15550100001', 'Ada', t.readCode);
  });
  afterEach(async () => {
    await t.close();
  });

  it('PIN-1 refuses trivial PINs and stores only a salted argon2id hash', async () => {
    for (const pin of ['123456', '000000', '654321', '111111']) {
      expect((await errorOf(phone.socket.request('pin.set', { pin }))).code).toBe('bad_request');
    }
    const account = await phone.socket.request('pin.set', { pin: '275913' });
    expect(account.twoStepEnabled).toBe(true);
    const row = await t.server.ctx.repos.accounts.findById(account.id);
    expect(row?.pin_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row?.pin_hash).not.toContain('275913');
  });

  it('PIN-2 changing or turning off the PIN needs the current one, with one message for every failure', async () => {
    await phone.socket.request('pin.set', { pin: '275913' });
    const noCurrent = await errorOf(phone.socket.request('pin.set', { pin: '480126' }));
    expect(noCurrent.code).toBe('pin_required');
    const wrong = await errorOf(phone.socket.request('pin.set', { pin: '480126', currentPin: '999990' }));
    const wrongOff = await errorOf(phone.socket.request('pin.disable', { pin: '999991' }));
    expect(wrong.code).toBe('pin_invalid');
    expect(wrongOff.code).toBe('pin_invalid');
    expect((wrong as { message?: string }).message).toBe((wrongOff as { message?: string }).message);
    const changed = await phone.socket.request('pin.set', { pin: '480126', currentPin: '275913' });
    expect(changed.twoStepEnabled).toBe(true);
    const off = await phone.socket.request('pin.disable', { pin: '480126' });
    expect(off.twoStepEnabled).toBe(false);
    const { events } = await phone.socket.request('security.list', {});
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['pin_set', 'pin_changed', 'pin_disabled', 'pin_failed']),
    );
  });

  it('PIN-3 waits grow after 5 wrong PINs (30 s, 5 min, 1 h) and 10 in a row close the PIN path', async () => {
    await phone.socket.request('pin.set', { pin: '275913' });
    const guess = () => errorOf(phone.socket.request('pin.confirm', { pin: '000001' }));
    for (let i = 1; i <= 4; i++) expect((await guess()).code).toBe('pin_invalid');
    const fifth = await guess();
    expect(fifth.code).toBe('pin_invalid');
    expect(fifth.details?.retryAfterMs).toBe(30_000);
    // Locked: even the right PIN is not checked until the wait is over.
    expect((await errorOf(phone.socket.request('pin.confirm', { pin: '275913' }))).code).toBe('pin_locked');
    clock.advance(30_001);
    expect((await guess()).details?.retryAfterMs).toBe(5 * 60_000);
    clock.advance(5 * 60_000 + 1);
    expect((await guess()).details?.retryAfterMs).toBe(60 * 60_000);
    for (let i = 8; i <= PIN_FAILURES_TO_CLOSE; i++) {
      clock.advance(60 * 60_000 + 1);
      await guess();
    }
    clock.advance(24 * 60 * 60_000);
    const closed = await errorOf(phone.socket.request('pin.confirm', { pin: '275913' }));
    expect(closed.code).toBe('pin_locked');
  });

  it('PIN-3 concurrent wrong guesses are all counted', async () => {
    await phone.socket.request('pin.set', { pin: '275913' });
    const results = await Promise.all(
      Array.from({ length: 4 }, () => errorOf(phone.socket.request('pin.confirm', { pin: '000001' }))),
    );
    expect(results.every((r) => r.code === 'pin_invalid')).toBe(true);
    const row = await t.server.ctx.repos.rateLimits.find(`pin:${phone.accountId}`);
    expect(row?.failures).toBe(4);
    // The next one is the fifth: it locks.
    expect(
      (await errorOf(phone.socket.request('pin.confirm', { pin: '000001' }))).details?.retryAfterMs,
    ).toBe(30_000);
  });

  it('PIN-4 linking, logging out one device and logging out all need the PIN when it is on', async () => {
    const computer = await linkHeadlessComputer(t.url, phone);
    const socket = await computer.connect();
    await phone.socket.request('pin.set', { pin: '275913' });
    await expect(linkHeadlessComputer(t.url, phone)).rejects.toMatchObject({ code: 'pin_required' });
    const { devices } = await phone.socket.request('devices.list', {});
    const id = devices.find((d) => d.kind === 'companion' && d.status === 'active')!.id;
    expect((await errorOf(phone.socket.request('devices.logout', { deviceId: id }))).code).toBe(
      'pin_required',
    );
    expect((await errorOf(phone.socket.request('devices.logoutAll', { pin: '000001' }))).code).toBe(
      'pin_invalid',
    );
    expect(await phone.socket.request('devices.logoutAll', { pin: '275913' })).toEqual({ count: 1 });
    expect((await socket.closed).code).toBe(4403);
  });

  it('PIN-5 re-registering the number needs the PIN; forgotten without email waits 7 days and tells the devices', async () => {
    await phone.socket.request('pin.set', { pin: '275913' });
    const newPhone = await import('../headless/headlessDevice').then((m) =>
      m.HeadlessDevice.create(t.url, 'phone'),
    );
    await newPhone.http('POST', '/v1/register/code', { phoneNumber: '+15550100001' });
    const code = await t.readCode('+15550100001');
    const body = { phoneNumber: '+15550100001', code, publicKey: newPhone.publicKey };
    expect((await newPhone.http('POST', '/v1/register/verify', body)).json).toMatchObject({
      error: { code: 'pin_required' },
    });
    phone.socket.frames.length = 0;
    const forgot = await newPhone.http('POST', '/v1/register/verify', { ...body, forgotPin: true });
    expect(forgot.status).toBe(403);
    expect(forgot.json).toMatchObject({ error: { code: 'pin_locked' } });
    const changed = await phone.socket.waitFor('account.changed');
    expect(changed.account.twoStepEnabled).toBe(true);
    const reminders = await phone.socket.request('reminders.get', {});
    expect(reminders.pinResetAvailableAt).toBe(clock.now() + 7 * 86_400_000);
    clock.advance(7 * 86_400_000 + 1);
    // A week later the old code has long expired: a fresh one, then the re-registration goes through.
    await newPhone.http('POST', '/v1/register/code', { phoneNumber: '+15550100001' });
    const fresh = { ...body, code: await t.readCode('+15550100001') };
    const ok = await newPhone.http('POST', '/v1/register/verify', { ...fresh, forgotPin: true });
    expect(ok.status).toBe(200);
    expect((await phone.socket.closed).code).toBe(4403);
  });

  it('PIN-5 the right PIN moves the number to the new phone and logs out the old one', async () => {
    await phone.socket.request('pin.set', { pin: '275913' });
    const { HeadlessDevice } = await import('../headless/headlessDevice');
    const newPhone = await HeadlessDevice.create(t.url, 'phone');
    await newPhone.http('POST', '/v1/register/code', { phoneNumber: '+15550100001' });
    const code = await t.readCode('+15550100001');
    const body = { phoneNumber: '+15550100001', code, publicKey: newPhone.publicKey };
    expect((await newPhone.http('POST', '/v1/register/verify', { ...body, pin: '111112' })).status).toBe(403);
    const ok = await newPhone.http('POST', '/v1/register/verify', { ...body, pin: '275913' });
    expect(ok.status).toBe(200);
    expect(await phone.socket.closed).toEqual({ code: 4403, reason: 'reregistered' });
  });
});
