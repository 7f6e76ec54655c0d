import { authMessage, MAX_FRAME_BYTES } from '@latch/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeviceSocket, HeadlessDevice } from '../headless/headlessDevice';
import {
  expectRefused,
  httpCall,
  isRecord,
  linkConnected,
  type Phone,
  RawSocket,
  registerPhone,
  sleep,
  waitUntil,
} from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';
import { AUTH_TIMEOUT_MS, TOO_MANY_SOCKETS } from './deviceGateway';
import { SOCKET_MAX_PAYLOAD_BYTES } from './frames';

const NUMBER = '+15550003000';

describe('/v1/ws device gateway', () => {
  let t: TestServer | undefined;
  const raws: RawSocket[] = [];
  afterEach(async () => {
    for (const r of raws.splice(0)) r.ws.terminate();
    await t?.close();
    t = undefined;
  });

  function raw(pathname: string, headers: Record<string, string> = {}): RawSocket {
    const s = new RawSocket(t!.url, pathname, headers);
    raws.push(s);
    return s;
  }

  /** A phone socket opened by hand, past the handshake. */
  async function authed(phone: Phone): Promise<RawSocket> {
    const s = raw('/v1/ws?client=phone', { cookie: phone.device.cookieHeader });
    const { nonce } = await s.next('challenge');
    s.send(JSON.stringify({ type: 'auth', signature: await phone.device.sign(authMessage(String(nonce))) }));
    await s.next('ready');
    return s;
  }

  /** Sends one request on a raw socket and waits for its answer. */
  async function ask(
    s: RawSocket,
    id: string,
    method: string,
    params?: unknown,
  ): Promise<Record<string, unknown>> {
    s.send(JSON.stringify({ type: 'req', id, method, ...(params === undefined ? {} : { params }) }));
    let answer: Record<string, unknown> | undefined;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${id}`)), 5000);
      const check = () => {
        answer = s.messages.find(
          (m): m is Record<string, unknown> =>
            typeof m === 'object' &&
            m !== null &&
            'type' in m &&
            m.type === 'res' &&
            'id' in m &&
            m.id === id,
        );
        if (answer) {
          clearTimeout(timer);
          resolve();
        } else setTimeout(check, 5);
      };
      check();
    });
    return answer!;
  }

  describe('proof of possession', () => {
    it('AUTH-3 a stolen cookie used with another key is closed with 4401', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const thief = await HeadlessDevice.create(t.url, 'phone');
      for (const [k, v] of phone.device.cookies) thief.cookies.set(k, v);
      expect(await expectRefused(new DeviceSocket(thief))).toEqual({ code: 4401, reason: 'Bad signature' });
      // The real phone is unaffected.
      expect((await phone.device.connect()).isOpen).toBe(true);
    });

    it('AUTH-3 the key without the cookie opens nothing (4401), nor does a forged or cross-app cookie', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const cookie = phone.device.sessionCookie!;
      const deviceId = cookie.split('.')[0];
      const cases: Array<Record<string, string>> = [
        {},
        { cookie: `__Host-latch-phone=${deviceId}.${'A'.repeat(43)}` },
        { cookie: `__Host-latch-phone=${deviceId}` },
        { cookie: `__Host-latch-phone=.${cookie.split('.')[1]}` },
      ];
      for (const headers of cases) {
        const s = raw('/v1/ws?client=phone', headers);
        expect(await s.closed, JSON.stringify(headers)).toEqual({ code: 4401, reason: 'No valid session' });
        expect(s.messages).toEqual([]);
      }
      // The phone's own cookie, presented as the web app's, is not a web session.
      const s = raw('/v1/ws?client=web', { cookie: `__Host-latch-web=${cookie}` });
      expect((await s.closed).code).toBe(4401);
      const bad = raw('/v1/ws?client=tablet', { cookie: phone.device.cookieHeader });
      expect((await bad.closed).code).toBe(4400);
    });

    it('AUTH-3 a signature over another nonce (a replayed auth frame) is refused with 4401', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const first = raw('/v1/ws?client=phone', { cookie: phone.device.cookieHeader });
      const { nonce } = await first.next('challenge');
      const signature = await phone.device.sign(authMessage(String(nonce)));
      first.send(JSON.stringify({ type: 'auth', signature }));
      await first.next('ready');
      const second = raw('/v1/ws?client=phone', { cookie: phone.device.cookieHeader });
      const next = await second.next('challenge');
      expect(next.nonce).not.toBe(nonce);
      second.send(JSON.stringify({ type: 'auth', signature }));
      expect(await second.closed).toEqual({ code: 4401, reason: 'Bad signature' });
    });

    it('AUTH-4 a request before auth closes with 4401', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const s = raw('/v1/ws?client=phone', { cookie: phone.device.cookieHeader });
      await s.next('challenge');
      s.send(JSON.stringify({ type: 'req', id: '1', method: 'account.get' }));
      expect(await s.closed).toEqual({ code: 4401, reason: 'Authenticate first' });
      expect(s.messages.map((m) => (m as { type: string }).type)).toEqual(['challenge']);
    });

    it('AUTH-4 a socket that never authenticates is closed with 4408 when its 10 s auth timer fires', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      // Time compression, not a 10 s sleep: the server's timer is scheduled with the real constant,
      // then runs after 100 ms.
      const scheduled: number[] = [];
      const realSetTimeout = globalThis.setTimeout;
      const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
        scheduled.push(ms ?? 0);
        return realSetTimeout(fn, ms === AUTH_TIMEOUT_MS ? 100 : ms);
      }) as typeof setTimeout);
      try {
        const s = raw('/v1/ws?client=phone', { cookie: phone.device.cookieHeader });
        await s.next('challenge');
        expect(await s.closed).toEqual({ code: 4408, reason: 'Authenticate within 10 s' });
      } finally {
        spy.mockRestore();
      }
      expect(AUTH_TIMEOUT_MS).toBe(10_000);
      expect(scheduled).toContain(AUTH_TIMEOUT_MS);
      // An authenticated socket is not closed by that timer.
      await sleep(150);
      expect(phone.socket.isOpen).toBe(true);
    });

    it('AUTH-5 upgrades from an Origin not on the allowlist are refused with 403; listed ones and same-origin open', async () => {
      t = await startTestServer({ env: { ALLOWED_ORIGINS: 'https://app.example, https://other.example' } });
      const phone = await registerPhone(t, NUMBER);
      for (const pathname of ['/v1/ws?client=phone', '/v1/link']) {
        const evil = raw(pathname, { origin: 'https://evil.example', cookie: phone.device.cookieHeader });
        expect(await evil.upgrade, pathname).toBe(403);
        const lookalike = raw(pathname, {
          origin: `${t.url}.evil.example`,
          cookie: phone.device.cookieHeader,
        });
        expect(await lookalike.upgrade, pathname).toBe(403);
        const listed = raw(pathname, { origin: 'https://other.example', cookie: phone.device.cookieHeader });
        expect(await listed.upgrade, pathname).toBe('open');
        const same = raw(pathname, { cookie: phone.device.cookieHeader });
        expect(await same.upgrade, pathname).toBe('open');
      }
      const unknownPath = raw('/v1/other');
      expect(await unknownPath.upgrade).toBe(404);
    });
  });

  describe('heartbeat', () => {
    it('ENG-4 an authenticated ping is answered with a pong and the socket stays open', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const s = await authed(phone);
      s.send(JSON.stringify({ type: 'ping' }));
      await s.next('pong');
      // Still usable for requests after the heartbeat.
      expect((await ask(s, 'after-ping', 'account.get')).ok).toBe(true);
    });

    it('ENG-4 a ping before auth is a frame before auth: closed with 4401', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const s = raw('/v1/ws?client=phone', { cookie: phone.device.cookieHeader });
      await s.next('challenge');
      s.send(JSON.stringify({ type: 'ping' }));
      expect(await s.closed).toEqual({ code: 4401, reason: 'Authenticate first' });
    });
  });

  describe('bad frames', () => {
    it('IN-2 a frame that is not JSON closes with 4400 and a reason', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const s = await authed(phone);
      s.send('{"type": "req", ');
      expect(await s.closed).toEqual({ code: 4400, reason: 'Frame is not valid JSON' });
    });

    it('IN-2 a frame that fails its schema closes with 4400 naming the problem', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const cases: Array<[unknown, RegExp]> = [
        [{ type: 'req', id: '1', method: 'accounts.drop' }, /^Invalid frame: method /],
        [{ type: 'req', id: '1', method: 'account.get', admin: true }, /^Invalid frame: .*admin/],
        [{ type: 'hello' }, /^Invalid frame: type /],
        [[1, 2, 3], /^Invalid frame: /],
      ];
      for (const [frame, reason] of cases) {
        const s = await authed(phone);
        s.send(JSON.stringify(frame));
        const closed = await s.closed;
        expect(closed.code, JSON.stringify(frame)).toBe(4400);
        expect(closed.reason, JSON.stringify(frame)).toMatch(reason);
      }
      const binary = await authed(phone);
      binary.ws.send(Buffer.from('{"type":"req"}'), { binary: true });
      expect(await binary.closed).toEqual({ code: 4400, reason: 'Binary frames are not accepted' });
      const again = await authed(phone);
      again.send(JSON.stringify({ type: 'auth', signature: 'A'.repeat(86) }));
      expect(await again.closed).toEqual({ code: 4400, reason: 'Already authenticated' });
    });

    it('IN-2 a frame over the 16 KiB limit closes with 4400, before or after auth, and the node carries on', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const s = await authed(phone);
      s.send(
        JSON.stringify({
          type: 'req',
          id: '1',
          method: 'account.get',
          params: { pad: 'x'.repeat(MAX_FRAME_BYTES) },
        }),
      );
      const closed = await s.closed;
      expect(closed.code).toBe(4400);
      expect(closed.reason).toMatch(/too large/i);

      const early = raw('/v1/ws?client=phone', { cookie: phone.device.cookieHeader });
      await early.upgrade;
      early.send('x'.repeat(MAX_FRAME_BYTES + 1));
      expect((await early.closed).code).toBe(4400);

      const link = raw('/v1/link');
      await link.upgrade;
      link.send('x'.repeat(MAX_FRAME_BYTES * 2));
      expect((await link.closed).code).toBe(4400);

      expect(await phone.socket.request('account.get', {})).toMatchObject({ name: 'Ada' });
      expect((await httpCall(t.url, 'GET', '/healthz')).status).toBe(200);
    });

    it('IN-2 invalid params get a validation_failed response naming the field, and the socket stays open', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const s = await authed(phone);
      const bad = await ask(s, 'a', 'account.setName', { name: '' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      expect(String((bad.error as { message: string }).message)).toMatch(/^name: /);
      const extra = await ask(s, 'b', 'account.get', { x: 1 });
      expect(extra).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      const wrongType = await ask(s, 'c', 'messages.sync', { afterId: -1, limit: 10 });
      expect(wrongType).toMatchObject({
        ok: false,
        error: { code: 'validation_failed', message: /^afterId: / },
      });
      const good = await ask(s, 'd', 'account.setName', { name: 'Grace' });
      expect(good).toMatchObject({ ok: true, result: { name: 'Grace' } });
      expect(s.ws.readyState).toBe(1);
    });

    it('IN-3 garbage on the sockets never crashes the node: invalid UTF-8, floods, then a valid request works', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const utf8 = await authed(phone);
      utf8.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
      expect((await utf8.closed).code).toBe(1007);

      const linkUtf8 = raw('/v1/link');
      await linkUtf8.upgrade;
      linkUtf8.ws.send(Buffer.from([0xc3, 0x28]), { binary: false });
      expect((await linkUtf8.closed).code).toBe(1007);

      // Past the transport's hard cap the ws library itself closes with 1009 (Message Too Big).
      const huge = await authed(phone);
      huge.send('x'.repeat(SOCKET_MAX_PAYLOAD_BYTES + 1));
      expect((await huge.closed).code).toBe(1009);

      // A flood is paced (IN-4): the node stays responsive for everyone else meanwhile.
      const flood = await authed(phone);
      const padding = 'x'.repeat(15_000);
      for (let i = 0; i < 300; i++)
        flood.send(JSON.stringify({ type: 'req', id: `f${i}`, method: 'account.get', params: { padding } }));
      const asked = Date.now();
      expect(await phone.socket.request('account.get', {})).toMatchObject({ name: 'Ada' });
      expect((await httpCall(t.url, 'GET', '/healthz')).status).toBe(200);
      expect(Date.now() - asked).toBeLessThan(1_000);
    });

    it('IN-4 a burst over 50 frames/s is paced, not punished: every frame is answered, in order, over time', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const s = await authed(phone);
      const started = Date.now();
      // As if 150 frames had queued in the kernel while the server was busy: read in one go.
      for (let i = 0; i < 150; i++)
        s.send(JSON.stringify({ type: 'req', id: `b${i}`, method: 'account.get' }));
      const answers = () =>
        s.messages.filter((m) => isRecord(m) && m.type === 'res') as Array<{ id: string }>;
      await waitUntil(() => answers().length === 150, 10_000);
      const ids = answers().map((m) => m.id);
      expect(ids).toEqual(Array.from({ length: 150 }, (_, i) => `b${i}`));
      // The 50 frames past the burst of 100 took their turns at 50/s.
      expect(Date.now() - started).toBeGreaterThanOrEqual(800);
      expect(s.ws.readyState).toBe(1);
    });

    it('IN-3 an unknown error in a request becomes res internal without internals; the socket carries on', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const chats = t.server.services.chats;
      const original = chats.list.bind(chats);
      chats.list = async () => {
        throw new Error('SQLITE_CORRUPT at /srv/latch/data/latch.db');
      };
      const res = await phone.socket.raw('chats.list', {});
      expect(res).toEqual({
        ok: false,
        error: { code: 'internal', message: 'Something went wrong on our side.' },
      });
      const onWire = phone.socket.wire.map((text) => JSON.parse(text)).find((f) => f.type === 'res' && !f.ok);
      expect(onWire).toEqual({
        type: 'res',
        id: expect.any(String),
        ok: false,
        error: { code: 'internal', message: 'Something went wrong on our side.' },
      });
      chats.list = original;
      expect(await phone.socket.request('chats.list', {})).toEqual({ chats: [] });
    });
  });

  describe('sockets per device', () => {
    it('LIM-5 a device holds at most 8 sockets (tabs); the newest beyond is closed with 4429, the others carry on, and a closed one frees its place', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const tabs = [
        phone.socket,
        ...(await Promise.all(Array.from({ length: 7 }, () => phone.device.connect()))),
      ];
      const deviceId = (await phone.socket.request('devices.list', {})).devices.find(
        (d) => d.kind === 'primary',
      )!.id;
      expect(t.server.conns.socketsOfDevice(deviceId)).toBe(8);
      const ninth = new DeviceSocket(phone.device);
      expect(await expectRefused(ninth)).toEqual({ code: 4429, reason: TOO_MANY_SOCKETS });
      // Every open tab still works.
      const answers = await Promise.all(tabs.map((s) => s.request('account.get', {})));
      expect(answers.every((a) => a.name === 'Ada')).toBe(true);
      // Another device of the account is not counted against this one.
      const computer = await linkConnected(t, phone);
      expect((await computer.socket.request('account.get', {})).name).toBe('Ada');
      computer.socket.close();
      tabs.pop()!.close();
      await waitUntil(() => t!.server.conns.socketsOfDevice(deviceId) === 7);
      const replacement = await phone.device.connect();
      expect((await replacement.request('account.get', {})).name).toBe('Ada');
      for (const s of [...tabs, replacement]) s.close();
    });
  });
});
