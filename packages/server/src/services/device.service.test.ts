import { APP_REQUEST_HEADER, APP_REQUEST_HEADER_VALUE, wipedMessage } from '@latch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceSocket } from '../headless/headlessDevice';
import {
  countRows,
  errorOf,
  expectRefused,
  httpCall,
  linkConnected,
  queryDb,
  registerPhone,
  rpcError,
  sleep,
  waitUntil,
} from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';

const A = '+15550006000';
const B = '+15550006001';
const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';

/** Resolves with how long after `since` the socket was closed, and how. */
async function closedWithin(socket: DeviceSocket, since: number) {
  const closed = await socket.closed;
  return { ...closed, ms: Date.now() - since };
}

describe('devices and logout', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  describe('OUT-1 logout', () => {
    it('OUT-1 "Log out" on the web closes every tab of that device within 1 s; the old cookie gets 401 and 4403', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, A);
      const { computer, socket, deviceId } = await linkConnected(t, phone);
      const secondTab = await computer.connect();
      const cookie = computer.cookieHeader;
      const saved = computer.sessionCookie!;
      const started = Date.now();
      const out = await computer.http('POST', '/v1/logout?client=web');
      expect(out.status).toBe(204);
      for (const s of [socket, secondTab]) {
        const closed = await closedWithin(s, started);
        expect(closed).toMatchObject({ code: 4403, reason: 'self' });
        expect(closed.ms).toBeLessThan(1000);
        expect(s.frames).toContainEqual({ type: 'logged_out', reason: 'self' });
      }
      const [row] = queryDb<{ token_hash: string | null; revoked_at: number | null; revoked_reason: string }>(
        t,
        'select token_hash, revoked_at, revoked_reason from devices where id = ?',
        deviceId,
      );
      expect(row).toMatchObject({ token_hash: null, revoked_at: expect.any(Number), revoked_reason: 'self' });

      const http = await httpCall(t.url, 'GET', '/v1/session?client=web', {
        headers: { cookie, [APP_REQUEST_HEADER]: APP_REQUEST_HEADER_VALUE },
      });
      expect(http.status).toBe(401);
      expect(http.headers.get('clear-site-data')).toBe(CLEAR_SITE_DATA);
      // The logout response dropped the cookie from the jar; a copy kept elsewhere opens nothing.
      expect(computer.sessionCookie).toBeUndefined();
      computer.cookies.set('__Host-latch-web', saved);
      expect(await expectRefused(new DeviceSocket(computer))).toEqual({ code: 4403, reason: 'self' });
      // The phone hears about it.
      const event = await phone.socket.waitFor('security.event', (f) => f.event.type === 'device_logged_out');
      expect(event.event).toMatchObject({ deviceId, reason: 'self' });
      await phone.socket.waitFor('devices.changed');
    });

    it('OUT-1 the phone logging out one computer closes it within 1 s with reason phone (OUT-4)', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, A);
      const { computer, socket, deviceId } = await linkConnected(t, phone);
      const started = Date.now();
      const { device } = await phone.socket.request('devices.logout', { deviceId });
      expect(device).toMatchObject({
        id: deviceId,
        status: 'logged_out',
        logoutReason: 'phone',
        online: false,
      });
      const closed = await closedWithin(socket, started);
      expect(closed).toMatchObject({ code: 4403, reason: 'phone' });
      expect(closed.ms).toBeLessThan(1000);
      expect(socket.frames).toContainEqual({ type: 'logged_out', reason: 'phone' });
      expect((await computer.http('GET', '/v1/session?client=web')).status).toBe(401);
      // Logging out again changes nothing.
      const again = await phone.socket.request('devices.logout', { deviceId });
      expect(again.device.loggedOutAt).toBe(device.loggedOutAt);
      expect(countRows(t, 'security_events', "type = 'device_logged_out'")).toBe(1);
    });

    it('OUT-1 "Log out from all devices" closes every computer and keeps the phone', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, A);
      const computers = [
        await linkConnected(t, phone),
        await linkConnected(t, phone),
        await linkConnected(t, phone),
      ];
      const started = Date.now();
      expect(await phone.socket.request('devices.logoutAll', {})).toEqual({ count: 3 });
      for (const c of computers) {
        const closed = await closedWithin(c.socket, started);
        expect(closed).toMatchObject({ code: 4403, reason: 'phone' });
        expect(closed.ms).toBeLessThan(1000);
      }
      expect(await phone.socket.request('account.get', {})).toMatchObject({ name: 'Ada' });
      expect(countRows(t, 'devices', 'revoked_at is null')).toBe(1);
      expect(countRows(t, 'devices', 'token_hash is not null')).toBe(1);
      expect(await phone.socket.request('devices.logoutAll', {})).toEqual({ count: 0 });
    });

    it('OUT-1 the phone cannot log out itself, another account’s device or an unknown one', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, A);
      const other = await registerPhone(t, B, 'Bob');
      const theirs = await linkConnected(t, other);
      const own = (await phone.socket.ready).deviceId;
      expect((await rpcError(phone.socket.request('devices.logout', { deviceId: own }))).code).toBe(
        'forbidden',
      );
      expect(
        (await rpcError(phone.socket.request('devices.logout', { deviceId: theirs.deviceId }))).code,
      ).toBe('not_found');
      expect(
        (await rpcError(phone.socket.request('devices.logout', { deviceId: 'AAAAAAAAAAAAAAAAAAAAAA' }))).code,
      ).toBe('not_found');
      await sleep(50);
      expect(theirs.socket.isOpen).toBe(true);
      expect(countRows(t, 'devices', 'revoked_at is not null')).toBe(0);
    });

    it('OUT-1 a logout is one transaction: when any part fails nothing is revoked and no socket is closed', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, A);
      const { socket, deviceId } = await linkConnected(t, phone);
      const security = t.server.services.security;
      const original = security.record.bind(security);
      security.record = async () => {
        throw new Error('disk full');
      };
      const res = await phone.socket.raw('devices.logout', { deviceId });
      security.record = original;
      expect(res).toMatchObject({ ok: false, error: { code: 'internal' } });
      await sleep(100);
      expect(socket.isOpen).toBe(true);
      expect(socket.frames.some((f) => f.type === 'logged_out')).toBe(false);
      expect(
        countRows(t, 'devices', 'id = ? and revoked_at is null and token_hash is not null', deviceId),
      ).toBe(1);
      expect(await socket.request('account.get', {})).toMatchObject({ name: 'Ada' });
    });

    it('OUT-5 a computer logged out while offline gets 401 (with the reason) and 4403 when it returns', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, A);
      const { computer, socket, deviceId } = await linkConnected(t, phone);
      socket.close();
      await socket.closed;
      await phone.socket.request('devices.logout', { deviceId });
      const session = await computer.http('GET', '/v1/session?client=web');
      expect(session.status).toBe(401);
      expect(errorOf(session.json)).toMatchObject({ code: 'unauthorized', details: { reason: 'phone' } });
      expect(session.headers.get('clear-site-data')).toBe(CLEAR_SITE_DATA);
    });
  });

  describe('LNK-13 closing the tab', () => {
    it('LNK-13 closing every tab keeps the device linked (offline), and it comes back without the phone', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, A);
      const { computer, socket, deviceId } = await linkConnected(t, phone);
      const listed = async () =>
        (await phone.socket.request('devices.list', {})).devices.find((d) => d.id === deviceId);
      // "Online" is written in batches a few ms after the handshake (PresenceWriter).
      await waitUntil(async () => (await listed())?.online === true);
      expect(await listed()).toMatchObject({ status: 'active', online: true });
      socket.close();
      await socket.closed;
      await waitUntil(async () => (await listed())?.online === false);
      expect(await listed()).toMatchObject({ status: 'active', logoutReason: null });
      expect((await computer.http('GET', '/v1/session?client=web')).status).toBe(200);
      const back = await computer.connect();
      expect((await back.ready).deviceId).toBe(deviceId);
      await waitUntil(async () => (await listed())?.online === true);
    });
  });

  describe('OUT-6 wipe reports', () => {
    it('OUT-6 a logged-out browser reports its wipe with its key; the phone sees wipedAt and a security event', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, A);
      const { computer, socket, deviceId } = await linkConnected(t, phone);
      await computer.http('POST', '/v1/logout?client=web');
      await socket.closed;
      const before = (await phone.socket.request('devices.list', {})).devices.find((d) => d.id === deviceId);
      expect(before?.wipedAt).toBeNull();

      const at = Date.now();
      const signature = await computer.sign(wipedMessage(deviceId, at));
      const wiped = await httpCall(t.url, 'POST', '/v1/logout/wiped', { body: { deviceId, at, signature } });
      expect(wiped.status).toBe(204);
      const event = await phone.socket.waitFor('security.event', (f) => f.event.type === 'device_wiped');
      expect(event.event.deviceId).toBe(deviceId);
      const after = (await phone.socket.request('devices.list', {})).devices.find((d) => d.id === deviceId);
      expect(after?.wipedAt).toEqual(expect.any(Number));

      // Reporting twice is harmless and keeps the first time.
      const again = await httpCall(t.url, 'POST', '/v1/logout/wiped', { body: { deviceId, at, signature } });
      expect(again.status).toBe(204);
      const still = (await phone.socket.request('devices.list', {})).devices.find((d) => d.id === deviceId);
      expect(still?.wipedAt).toBe(after?.wipedAt);
      expect(countRows(t, 'security_events', "type = 'device_wiped'")).toBe(1);
    });

    it('OUT-6 a wipe report with a bad signature, for an active device or from long ago is 403; nothing changes', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, A);
      const active = await linkConnected(t, phone);
      const gone = await linkConnected(t, phone);
      await phone.socket.request('devices.logout', { deviceId: gone.deviceId });
      const at = Date.now();
      const cases = [
        // Signed by another device's key.
        {
          deviceId: gone.deviceId,
          at,
          signature: await active.computer.sign(wipedMessage(gone.deviceId, at)),
        },
        // Signed over another time.
        {
          deviceId: gone.deviceId,
          at,
          signature: await gone.computer.sign(wipedMessage(gone.deviceId, at + 1)),
        },
        // The device is still active.
        {
          deviceId: active.deviceId,
          at,
          signature: await active.computer.sign(wipedMessage(active.deviceId, at)),
        },
        // Too old to be a fresh report.
        {
          deviceId: gone.deviceId,
          at: at - 11 * 60_000,
          signature: await gone.computer.sign(wipedMessage(gone.deviceId, at - 11 * 60_000)),
        },
        {
          deviceId: 'AAAAAAAAAAAAAAAAAAAAAA',
          at,
          signature: await gone.computer.sign(wipedMessage('x', at)),
        },
      ];
      for (const body of cases) {
        const r = await httpCall(t.url, 'POST', '/v1/logout/wiped', { body });
        expect(r.status).toBe(403);
        expect(errorOf(r.json)?.code).toBe('signature_invalid');
      }
      expect(countRows(t, 'devices', 'wiped_at is not null')).toBe(0);
      expect(countRows(t, 'security_events', "type = 'device_wiped'")).toBe(0);
    });
  });

  describe('OUT-7 the others carry on', () => {
    it('OUT-7 logging out one computer leaves another connected and still receiving messages', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, A);
      const bob = await registerPhone(t, B, 'Bob');
      const c1 = await linkConnected(t, phone);
      const c2 = await linkConnected(t, phone);
      const chat = await bob.socket.request('chats.openDirect', { phoneNumber: A });

      await c1.computer.http('POST', '/v1/logout?client=web');
      expect((await c1.socket.closed).code).toBe(4403);
      await phone.socket.request('devices.logout', { deviceId: c1.deviceId });

      const sent = await bob.socket.request('messages.send', {
        chatId: chat.id,
        clientMsgId: 'bob-msg-0001',
        text: 'still there?',
      });
      for (const s of [c2.socket, phone.socket]) {
        const m = await s.waitFor('message', (f) => f.message.id === sent.id);
        expect(m.message.text).toBe('still there?');
      }
      expect(c2.socket.isOpen).toBe(true);
      expect(c1.socket.frames.some((f) => f.type === 'message')).toBe(false);
      // And c2 can still act.
      const reply = await c2.socket.request('messages.send', {
        chatId: chat.id,
        clientMsgId: 'c2-msg-0001',
        text: 'yes',
      });
      expect(reply.seq).toBe(2);
    });
  });
});
