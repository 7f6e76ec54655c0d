import { APP_REQUEST_HEADER, APP_REQUEST_HEADER_VALUE, authMessage } from '@latch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceSocket } from '../headless/headlessDevice';
import {
  countRows,
  errorOf,
  expectRefused,
  httpCall,
  linkConnected,
  RawSocket,
  registerPhone,
} from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';

const NUMBER = '+15550008000';
const APP = { [APP_REQUEST_HEADER]: APP_REQUEST_HEADER_VALUE };

describe('what another site, or a cookie without its key, can learn or do', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it("SEC-3 a cookie-less 401 carries Clear-Site-Data only for the app's own same-origin requests", async () => {
    t = await startTestServer();
    const notTheApp: Array<[string, Record<string, string>]> = [
      // <img src=…> on another site: no custom header, Sec-Fetch-Site cross-site.
      ['an <img> on another site', { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image' }],
      ['a same-site page', { 'sec-fetch-site': 'same-site' }],
      ['no header at all', {}],
      ['the header, but from another site', { ...APP, 'sec-fetch-site': 'cross-site' }],
      ['the header with another value', { [APP_REQUEST_HEADER]: 'web', 'sec-fetch-site': 'same-origin' }],
      ['a navigation typed into the address bar', { 'sec-fetch-site': 'none' }],
    ];
    for (const [what, headers] of notTheApp) {
      const r = await httpCall(t.url, 'GET', '/v1/session?client=web', { headers });
      expect(r.status, what).toBe(401);
      expect(errorOf(r.json)?.code, what).toBe('unauthorized');
      expect(r.headers.get('clear-site-data'), what).toBeNull();
      expect(r.headers.getSetCookie(), what).toEqual([]);
    }
    for (const headers of [APP, { ...APP, 'sec-fetch-site': 'same-origin' }]) {
      const r = await httpCall(t.url, 'GET', '/v1/session?client=web', { headers });
      expect(r.status).toBe(401);
      expect(r.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"');
    }
  });

  it('SEC-3 logout is a POST the app makes: without its header it is refused and the session stays', async () => {
    t = await startTestServer();
    const phone = await registerPhone(t, NUMBER);
    const { computer } = await linkConnected(t, phone);
    const cookie = computer.cookieHeader;
    const attempts: Array<Record<string, string>> = [
      { cookie },
      { cookie, 'sec-fetch-site': 'cross-site' },
      { cookie, ...APP, 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of attempts) {
      const r = await httpCall(t.url, 'POST', '/v1/logout?client=web', { headers });
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(errorOf(r.json)?.code).toBe('forbidden');
      expect(r.headers.get('clear-site-data')).toBeNull();
    }
    // A GET to the logout endpoint does nothing either.
    expect((await httpCall(t.url, 'GET', '/v1/logout?client=web', { headers: { cookie } })).status).toBe(404);
    expect(countRows(t, 'devices', 'revoked_at is null')).toBe(2);
    expect((await computer.http('GET', '/v1/session?client=web')).status).toBe(200);
  });

  it('SEC-4 a device id without its secret learns nothing: the same generic 401 as no cookie at all', async () => {
    t = await startTestServer();
    const phone = await registerPhone(t, NUMBER);
    const { computer, deviceId, socket } = await linkConnected(t, phone);
    await socket.ready;
    const secret = computer.sessionCookie?.split('.')[1] ?? '';
    await phone.socket.request('devices.logout', { deviceId });
    await socket.closed;

    const generic = await httpCall(t.url, 'GET', '/v1/session?client=web', { headers: APP });
    const guesses = [
      `${deviceId}.${'A'.repeat(43)}`,
      `${deviceId}.`,
      `${deviceId}.x`,
      `unknown-device.${secret}`,
    ];
    for (const value of guesses) {
      const r = await httpCall(t.url, 'GET', '/v1/session?client=web', {
        headers: { ...APP, cookie: `__Host-latch-web=${value}` },
      });
      expect(r.status, value).toBe(401);
      expect(r.json, value).toEqual(generic.json);
      // The device socket says no more than HTTP does.
      const ws = new RawSocket(t.url, '/v1/ws?client=web', { cookie: `__Host-latch-web=${value}` });
      expect(await ws.closed, value).toEqual({ code: 4401, reason: 'No valid session' });
    }
    // The browser that held the secret is told why (OUT-5), on the socket and over HTTP.
    expect(await expectRefused(new DeviceSocket(computer))).toEqual({ code: 4403, reason: 'phone' });
    const own = await computer.http('GET', '/v1/session?client=web');
    expect(own.status).toBe(401);
    expect(errorOf(own.json)?.details).toEqual({ reason: 'phone' });
  });

  it('SEC-4 a cookie alone reads no account data over HTTP; the account comes on the authenticated socket', async () => {
    t = await startTestServer();
    const phone = await registerPhone(t, NUMBER, 'Ada');
    const { computer, deviceId } = await linkConnected(t, phone);
    for (const device of [phone.device, computer]) {
      const r = await device.http('GET', `/v1/session?client=${device.app}`);
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ deviceId: device === computer ? deviceId : expect.any(String) });
      const text = JSON.stringify(r.json);
      for (const leak of [NUMBER, 'Ada', 'identityKey', 'phoneNumber', 'account']) {
        expect(text).not.toContain(leak);
      }
    }
    // The socket hands the account over only after the key signed the challenge.
    const raw = new RawSocket(t.url, '/v1/ws?client=web', { cookie: computer.cookieHeader });
    const { nonce } = await raw.next('challenge');
    expect(JSON.stringify(raw.messages)).not.toContain(NUMBER);
    raw.send(JSON.stringify({ type: 'auth', signature: await computer.sign(authMessage(String(nonce))) }));
    const ready = await raw.next('ready');
    expect(ready.account).toMatchObject({
      phoneNumber: NUMBER,
      name: 'Ada',
      identityKey: expect.any(String),
    });
    raw.ws.close();
  });
});
