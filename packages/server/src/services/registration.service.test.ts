import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { HeadlessDevice } from '../headless/headlessDevice';
import { countRows, errorOf, httpCall, linkConnected, queryDb, registerPhone } from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';
import {
  CODE_TTL_MS,
  CODES_PER_IP_PER_HOUR,
  CODES_PER_NUMBER_PER_HOUR,
  RESEND_AFTER_MS,
} from './registration.service';

const NUMBER = '+15550001000';

describe('registration', () => {
  let t: TestServer | undefined;
  let clock: ManualClock;
  const extraDirs: string[] = [];

  async function start(withClock = true): Promise<TestServer> {
    clock = new ManualClock();
    t = await startTestServer(withClock ? { clock } : {});
    return t;
  }

  afterEach(async () => {
    await t?.close();
    t = undefined;
    for (const d of extraDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  const requestCode = (s: TestServer, phoneNumber: string) =>
    httpCall(s.url, 'POST', '/v1/register/code', { body: { phoneNumber } });
  const verify = (s: TestServer, phoneNumber: string, code: string, publicKey: string) =>
    httpCall(s.url, 'POST', '/v1/register/verify', { body: { phoneNumber, code, publicKey } });
  const wrong = (code: string) => (code === '000000' ? '111111' : '000000');

  it('REG-1 a number that is not E.164 is 400 validation_failed naming the field, and nothing is stored', async () => {
    const s = await start();
    const phone = await HeadlessDevice.create(s.url, 'phone');
    for (const phoneNumber of [
      '5551234567',
      '+1 555 123 4567',
      '+0555123456',
      '+1234567',
      '+1234567890123456',
      42,
    ]) {
      const sent = await httpCall(s.url, 'POST', '/v1/register/code', { body: { phoneNumber } });
      expect(sent.status).toBe(400);
      expect(errorOf(sent.json)?.code).toBe('validation_failed');
      expect(String(errorOf(sent.json)?.message)).toMatch(/^phoneNumber: /);
      const verified = await verify(s, String(phoneNumber), '123456', phone.publicKey);
      expect(verified.status).toBe(400);
      expect(errorOf(verified.json)?.code).toBe('validation_failed');
    }
    for (const table of ['verification_codes', 'rate_limits', 'accounts', 'devices']) {
      expect(countRows(s, table), table).toBe(0);
    }
  });

  it('REG-2 a code is 6 digits, sent through the SMS transport, and single use', async () => {
    const s = await start();
    const sent = await requestCode(s, NUMBER);
    expect(sent.status).toBe(200);
    expect(sent.json).toEqual({ expiresInMs: 10 * 60_000, resendInMs: 30_000 });
    const code = await s.sms.next(NUMBER);
    expect(code).toMatch(/^\d{6}$/);
    // Only a hash of the code is stored.
    const [row] = queryDb<{ code_hash: string }>(s, 'select code_hash from verification_codes');
    expect(row?.code_hash).not.toContain(code);
    const phone = await HeadlessDevice.create(s.url, 'phone');
    expect((await verify(s, NUMBER, code, phone.publicKey)).status).toBe(200);
    const again = await verify(s, NUMBER, code, phone.publicKey);
    expect(again.status).toBe(400);
    expect(errorOf(again.json)?.code).toBe('code_invalid');
    expect(countRows(s, 'devices')).toBe(1);
  });

  it('REG-2 a code is valid for 10 minutes, then code_expired', async () => {
    const s = await start();
    const phone = await HeadlessDevice.create(s.url, 'phone');
    await requestCode(s, NUMBER);
    const code = await s.sms.next(NUMBER);
    clock.advance(CODE_TTL_MS);
    const late = await verify(s, NUMBER, code, phone.publicKey);
    expect(late.status).toBe(400);
    expect(errorOf(late.json)?.code).toBe('code_expired');
    expect(countRows(s, 'accounts')).toBe(0);

    clock.advance(RESEND_AFTER_MS);
    await requestCode(s, NUMBER);
    const fresh = await s.sms.next(NUMBER);
    clock.advance(CODE_TTL_MS - 1);
    expect((await verify(s, NUMBER, fresh, phone.publicKey)).status).toBe(200);
  });

  it('REG-3 five wrong codes lock verification for 30 s, then 5 min, then 1 h (429 rate_limited, retryAfterMs)', async () => {
    const s = await start();
    const phone = await HeadlessDevice.create(s.url, 'phone');
    await requestCode(s, NUMBER);
    const code = await s.sms.next(NUMBER);
    const fiveWrong = async () => {
      for (let i = 1; i <= 4; i++) {
        const r = await verify(s, NUMBER, wrong(code), phone.publicKey);
        expect(r.status).toBe(400);
        expect(errorOf(r.json)?.code).toBe('code_invalid');
      }
      return verify(s, NUMBER, wrong(code), phone.publicKey);
    };

    const first = await fiveWrong();
    expect(first.status).toBe(429);
    expect(errorOf(first.json)).toMatchObject({ code: 'rate_limited', retryAfterMs: 30_000 });
    expect(first.headers.get('retry-after')).toBe('30');
    // Even the right code is refused while locked, and so is a new code.
    clock.advance(10_000);
    const locked = await verify(s, NUMBER, code, phone.publicKey);
    expect(locked.status).toBe(429);
    expect(errorOf(locked.json)?.retryAfterMs).toBe(20_000);
    expect((await requestCode(s, NUMBER)).status).toBe(429);

    // Each further lock waits longer: wrong codes after the first lock lead to 5 min, then 1 h.
    const untilLocked = async () => {
      for (let i = 1; i <= 5; i++) {
        const r = await verify(s, NUMBER, wrong(code), phone.publicKey);
        if (r.status === 429) return r;
        expect(errorOf(r.json)?.code).toBe('code_invalid');
      }
      throw new Error('not locked after 5 more wrong codes');
    };
    clock.advance(20_000);
    const second = await untilLocked();
    expect(errorOf(second.json)).toMatchObject({ code: 'rate_limited', retryAfterMs: 5 * 60_000 });

    clock.advance(5 * 60_000);
    const third = await untilLocked();
    expect(errorOf(third.json)).toMatchObject({ code: 'rate_limited', retryAfterMs: 60 * 60_000 });
    expect(countRows(s, 'accounts')).toBe(0);

    // After the lock the old code has expired; a new one works and resets the counter.
    clock.advance(60 * 60_000);
    expect(errorOf((await verify(s, NUMBER, code, phone.publicKey)).json)?.code).toBe('code_expired');
    expect((await requestCode(s, NUMBER)).status).toBe(200);
    expect((await verify(s, NUMBER, await s.sms.next(NUMBER), phone.publicKey)).status).toBe(200);
    expect(countRows(s, 'rate_limits', 'key = ?', `verify:${NUMBER}`)).toBe(0);
  });

  it('REG-4 a resend within 30 s is 429 with the wait; at most 5 codes per number per hour', async () => {
    const s = await start();
    expect((await requestCode(s, NUMBER)).status).toBe(200);
    clock.advance(10_000);
    const early = await requestCode(s, NUMBER);
    expect(early.status).toBe(429);
    expect(errorOf(early.json)).toMatchObject({ code: 'rate_limited', retryAfterMs: 20_000 });
    for (let i = 2; i <= CODES_PER_NUMBER_PER_HOUR; i++) {
      clock.advance(RESEND_AFTER_MS);
      expect((await requestCode(s, NUMBER)).status, `send ${i}`).toBe(200);
    }
    clock.advance(RESEND_AFTER_MS);
    const capped = await requestCode(s, NUMBER);
    expect(capped.status).toBe(429);
    expect(errorOf(capped.json)?.code).toBe('rate_limited');
    expect(Number(errorOf(capped.json)?.retryAfterMs)).toBeGreaterThan(0);
    // Five codes went out, not six.
    for (let i = 0; i < CODES_PER_NUMBER_PER_HOUR; i++) await s.sms.next(NUMBER);
    clock.advance(60 * 60_000);
    expect((await requestCode(s, NUMBER)).status).toBe(200);
  });

  it('REG-4 at most 20 codes per IP per hour, whatever the numbers', async () => {
    const s = await start();
    for (let i = 0; i < CODES_PER_IP_PER_HOUR; i++) {
      expect((await requestCode(s, `+1555000${String(2000 + i)}`)).status).toBe(200);
    }
    const over = await requestCode(s, '+15550009999');
    expect(over.status).toBe(429);
    expect(errorOf(over.json)?.code).toBe('rate_limited');
    expect(countRows(s, 'verification_codes', 'phone_number = ?', '+15550009999')).toBe(0);
  });

  it('REG-5 verifying creates the account and its primary device holding only the public key', async () => {
    const s = await start();
    const phone = await HeadlessDevice.create(s.url, 'phone');
    await requestCode(s, NUMBER);
    const verified = await phone.http('POST', '/v1/register/verify', {
      phoneNumber: NUMBER,
      code: await s.sms.next(NUMBER),
      publicKey: phone.publicKey,
    });
    expect(verified.status).toBe(200);
    expect(verified.json).toMatchObject({
      existing: false,
      account: { phoneNumber: NUMBER, identityKey: phone.publicKey, twoStepEnabled: false },
    });
    const devices = queryDb<{ kind: string; public_key: string; account_id: string }>(
      s,
      'select kind, public_key, account_id from devices',
    );
    expect(devices).toEqual([
      { kind: 'primary', public_key: phone.publicKey, account_id: expect.any(String) },
    ]);
    expect(countRows(s, 'accounts', 'phone_number = ?', NUMBER)).toBe(1);
    expect(countRows(s, 'verification_codes')).toBe(0);
    const ready = await (await phone.connect()).ready;
    expect(ready.account.phoneNumber).toBe(NUMBER);
  });

  it('REG-5 verifying the number on another phone logs out the old phone and every companion (reregistered)', async () => {
    const s = await start(false);
    const old = await registerPhone(s, NUMBER, 'Ada');
    const computer = await linkConnected(s, old);
    const phone2 = await HeadlessDevice.create(s.url, 'phone');
    await requestCode(s, NUMBER);
    const verified = await phone2.http('POST', '/v1/register/verify', {
      phoneNumber: NUMBER,
      code: await s.sms.next(NUMBER),
      publicKey: phone2.publicKey,
    });
    expect(verified.status).toBe(200);
    expect(verified.json).toMatchObject({
      existing: true,
      account: { identityKey: phone2.publicKey, name: 'Ada' },
    });

    for (const socket of [old.socket, computer.socket]) {
      expect(await socket.closed).toEqual({ code: 4403, reason: 'reregistered' });
      expect(socket.frames).toContainEqual({ type: 'logged_out', reason: 'reregistered' });
    }
    const oldSession = await old.device.http('GET', '/v1/session?client=phone');
    expect(oldSession.status).toBe(401);
    expect(errorOf(oldSession.json)?.details).toEqual({ reason: 'reregistered' });
    expect((await computer.computer.http('GET', '/v1/session?client=web')).status).toBe(401);

    const fresh = await phone2.connect();
    const { devices } = await fresh.request('devices.list', {});
    expect(devices.filter((d) => d.status === 'active').map((d) => d.kind)).toEqual(['primary']);
    expect(devices.filter((d) => d.status === 'logged_out').map((d) => d.logoutReason)).toEqual([
      'reregistered',
      'reregistered',
    ]);
    expect(countRows(s, 'accounts')).toBe(1);
  });

  it('REG-6 the phone stays signed in across a server restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-restart-'));
    extraDirs.push(dataDir);
    t = await startTestServer({ dataDir });
    const port = new URL(t.url).port;
    const phone = await registerPhone(t, NUMBER, 'Ada');
    const before = await phone.socket.ready;
    await t.close();
    await phone.socket.closed;

    t = await startTestServer({ dataDir, env: { PORT: port } });
    const session = await phone.device.http('GET', '/v1/session?client=phone');
    expect(session.status).toBe(200);
    const after = await (await phone.device.connect()).ready;
    expect(after.deviceId).toBe(before.deviceId);
    expect(after.account.name).toBe('Ada');
  });
});
