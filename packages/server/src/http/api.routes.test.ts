import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APP_REQUEST_HEADER, APP_REQUEST_HEADER_VALUE } from '@latch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  countRows,
  errorOf,
  httpCall,
  type LoggedServer,
  linkConnected,
  queryDb,
  registerPhone,
  startLoggedServer,
} from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';

const NUMBER = '+15550002000';
/** What the apps' fetch wrapper adds to every request (SEC-3). */
const APP = { [APP_REQUEST_HEADER]: APP_REQUEST_HEADER_VALUE };
const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';

/** `name=value; A=b; Flag` → {name, value, attrs: {a: 'b', flag: ''}} (attribute names lowercased). */
function parseSetCookie(header: string) {
  const [pair = '', ...rest] = header.split(';').map((p) => p.trim());
  const eq = pair.indexOf('=');
  const attrs: Record<string, string> = {};
  for (const a of rest) {
    const i = a.indexOf('=');
    attrs[(i < 0 ? a : a.slice(0, i)).toLowerCase()] = i < 0 ? '' : a.slice(i + 1);
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attrs };
}

function expectSecurityHeaders(headers: Headers, what: string): void {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp, what).toContain("script-src 'self'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).not.toContain('unsafe-inline');
  expect(csp, what).not.toContain('unsafe-eval');
  expect(headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(headers.get('x-content-type-options'), what).toBe('nosniff');
}

describe('HTTP API', () => {
  let t: TestServer | undefined;
  let logged: LoggedServer | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await t?.close();
    await logged?.close();
    t = undefined;
    logged = undefined;
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  describe('bad input', () => {
    it('IN-1 malformed JSON is 400 bad_request, and nothing is written', async () => {
      t = await startTestServer();
      for (const body of ['{"phoneNumber":', 'not json', '{"phoneNumber": "+15550002000",}']) {
        const r = await httpCall(t.url, 'POST', '/v1/register/code', {
          body,
          headers: { 'content-type': 'application/json' },
        });
        expect(r.status, body).toBe(400);
        expect(errorOf(r.json), body).toMatchObject({ code: 'bad_request', message: expect.any(String) });
      }
      expect(countRows(t, 'verification_codes')).toBe(0);
      expect(countRows(t, 'rate_limits')).toBe(0);
    });

    it('IN-1 an unknown field is 400 validation_failed naming it; a missing field names the field', async () => {
      t = await startTestServer();
      const extra = await httpCall(t.url, 'POST', '/v1/register/code', {
        body: { phoneNumber: NUMBER, isAdmin: true },
      });
      expect(extra.status).toBe(400);
      expect(errorOf(extra.json)?.code).toBe('validation_failed');
      expect(String(errorOf(extra.json)?.message)).toContain('isAdmin');

      const missing = await httpCall(t.url, 'POST', '/v1/register/verify', {
        body: { phoneNumber: NUMBER, code: '123456' },
      });
      expect(missing.status).toBe(400);
      expect(errorOf(missing.json)?.code).toBe('validation_failed');
      expect(String(errorOf(missing.json)?.message)).toMatch(/^publicKey: /);

      const query = await httpCall(t.url, 'GET', '/v1/session?client=tablet');
      expect(query.status).toBe(400);
      expect(String(errorOf(query.json)?.message)).toMatch(/^client: /);
      expect(countRows(t, 'verification_codes')).toBe(0);
      expect(countRows(t, 'rate_limits')).toBe(0);
    });

    it('IN-1 a body over 16 KiB is 413 payload_too_large; a non-JSON content type is 415', async () => {
      t = await startTestServer();
      const big = await httpCall(t.url, 'POST', '/v1/register/code', {
        body: { phoneNumber: NUMBER, pad: 'x'.repeat(17 * 1024) },
      });
      expect(big.status).toBe(413);
      expect(errorOf(big.json)?.code).toBe('payload_too_large');

      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ]) {
        const r = await httpCall(t.url, 'POST', '/v1/register/code', {
          body: JSON.stringify({ phoneNumber: NUMBER }),
          headers: { 'content-type': type },
        });
        expect(r.status, type).toBe(415);
        expect(errorOf(r.json)?.code, type).toBe('unsupported_media_type');
      }
      expect(countRows(t, 'verification_codes')).toBe(0);
    });

    it('IN-1 an unknown endpoint is a JSON 404 not_found', async () => {
      t = await startTestServer();
      const r = await httpCall(t.url, 'GET', '/v1/nope');
      expect(r.status).toBe(404);
      expect(errorOf(r.json)?.code).toBe('not_found');
    });

    it('IN-3 an unknown error becomes a logged 500 internal with no internals in the body; the node carries on', async () => {
      logged = await startLoggedServer({
        sms: {
          sendCode: async () => {
            throw new Error('gateway password hunter2 rejected at /srv/secret/sms.js');
          },
        },
      });
      const r = await httpCall(logged.url, 'POST', '/v1/register/code', { body: { phoneNumber: NUMBER } });
      expect(r.status).toBe(500);
      expect(r.json).toEqual({ error: { code: 'internal', message: 'Something went wrong on our side.' } });
      expect(r.text).not.toContain('hunter2');
      expect(logged.logs.join('\n')).toContain('unhandled error');
      const health = await httpCall(logged.url, 'GET', '/healthz');
      expect(health.status).toBe(200);
      expect(health.json).toMatchObject({ status: 'ok' });
    });
  });

  describe('credentials', () => {
    it('AUTH-1 the cookie is deviceId.secret with 256 random bits; the store holds only SHA-256(secret)', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const computer = await linkConnected(t, phone);
      for (const device of [phone.device, computer.computer]) {
        const cookie = device.sessionCookie ?? '';
        const [deviceId = '', secret = ''] = cookie.split('.');
        expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
        const [row] = queryDb<{ token_hash: string }>(
          t,
          'select token_hash from devices where id = ?',
          deviceId,
        );
        expect(row?.token_hash).toBe(createHash('sha256').update(secret).digest('base64url'));
        // The secret itself is nowhere in the store.
        for (const table of [
          'accounts',
          'devices',
          'link_sessions',
          'link_refs',
          'security_events',
          'rate_limits',
        ]) {
          expect(JSON.stringify(queryDb(t, `select * from ${table}`)), table).not.toContain(secret);
        }
      }
      // Two devices, two different secrets.
      expect(phone.device.sessionCookie).not.toBe(computer.computer.sessionCookie);
    });

    it('AUTH-2 the session cookie is __Host-, HttpOnly, Secure, SameSite=Strict, Path=/, no Domain, one per app', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const computer = await linkConnected(t, phone);
      expect([...phone.device.cookies.keys()]).toEqual(['__Host-latch-phone']);
      expect([...computer.computer.cookies.keys()]).toEqual(['__Host-latch-web']);

      // Register another number by hand to see the raw header.
      const sent = await httpCall(t.url, 'POST', '/v1/register/code', {
        body: { phoneNumber: '+15550002001' },
      });
      expect(sent.status).toBe(200);
      const verified = await httpCall(t.url, 'POST', '/v1/register/verify', {
        body: {
          phoneNumber: '+15550002001',
          code: await t.sms.next('+15550002001'),
          publicKey: phone.device.publicKey,
        },
      });
      const cookies = verified.headers.getSetCookie();
      expect(cookies).toHaveLength(1);
      const c = parseSetCookie(cookies[0]!);
      expect(c.name).toBe('__Host-latch-phone');
      expect(c.attrs).toMatchObject({ httponly: '', secure: '', samesite: 'Strict', path: '/' });
      expect(c.attrs).not.toHaveProperty('domain');
      expect(Number(c.attrs['max-age'])).toBeGreaterThan(30 * 86_400);
      expect(JSON.stringify(verified.json)).not.toContain(c.value.split('.')[1]);
    });

    it('AUTH-5 a cross-origin POST is refused with 403 and writes nothing', async () => {
      t = await startTestServer();
      const r = await httpCall(t.url, 'POST', '/v1/register/code', {
        body: { phoneNumber: NUMBER },
        headers: { origin: 'https://evil.example' },
      });
      expect(r.status).toBe(403);
      expect(errorOf(r.json)?.code).toBe('forbidden');
      expect(countRows(t, 'verification_codes')).toBe(0);
    });
  });

  describe('sessions and logout over HTTP', () => {
    it('OUT-2 a 401 for a web session cookie and a web logout carry Clear-Site-Data and expire the cookie', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const { computer } = await linkConnected(t, phone);
      const ok = await computer.http('GET', '/v1/session?client=web');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('clear-site-data')).toBeNull();

      const forged = await httpCall(t.url, 'GET', '/v1/session?client=web', {
        headers: {
          ...APP,
          cookie: `__Host-latch-web=${computer.sessionCookie?.split('.')[0]}.${'A'.repeat(43)}`,
        },
      });
      expect(forged.status).toBe(401);
      expect(errorOf(forged.json)?.code).toBe('unauthorized');
      expect(forged.headers.get('clear-site-data')).toBe(CLEAR_SITE_DATA);

      const cookie = computer.cookieHeader;
      const out = await httpCall(t.url, 'POST', '/v1/logout?client=web', { headers: { ...APP, cookie } });
      expect(out.status).toBe(204);
      expect(out.headers.get('clear-site-data')).toBe(CLEAR_SITE_DATA);
      const cleared = parseSetCookie(out.headers.getSetCookie()[0] ?? '');
      expect(cleared.name).toBe('__Host-latch-web');
      expect(cleared.value).toBe('');
      expect(cleared.attrs).toMatchObject({ path: '/', secure: '' });

      const after = await httpCall(t.url, 'GET', '/v1/session?client=web', { headers: { ...APP, cookie } });
      expect(after.status).toBe(401);
      expect(errorOf(after.json)?.details).toEqual({ reason: 'self' });
      expect(after.headers.get('clear-site-data')).toBe(CLEAR_SITE_DATA);
    });

    it('OUT-1 a web cookie is not a phone cookie: each app checks its own', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const { computer } = await linkConnected(t, phone);
      const swapped = await httpCall(t.url, 'GET', '/v1/session?client=phone', {
        headers: { cookie: `__Host-latch-phone=${computer.sessionCookie}` },
      });
      expect(swapped.status).toBe(401);
      // Logging out without a cookie is harmless and still clears the browser.
      const anon = await httpCall(t.url, 'POST', '/v1/logout?client=web', { headers: APP });
      expect(anon.status).toBe(204);
      expect(anon.headers.get('clear-site-data')).toBe(CLEAR_SITE_DATA);
      expect((await computer.http('GET', '/v1/session?client=web')).status).toBe(200);
    });
  });

  describe('security headers', () => {
    it('SEC-1 API, static and error responses all carry CSP, Referrer-Policy and nosniff; no HSTS without TLS', async () => {
      const appsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-apps-'));
      dirs.push(appsDir);
      for (const app of ['web', 'phone']) {
        fs.mkdirSync(path.join(appsDir, app, 'dist'), { recursive: true });
        fs.writeFileSync(
          path.join(appsDir, app, 'dist', 'index.html'),
          `<!doctype html><title>${app}</title>`,
        );
      }
      fs.writeFileSync(path.join(appsDir, 'web', 'dist', 'app.js'), 'console.log(1);');
      t = await startTestServer({ env: { APPS_DIR: appsDir } });
      const responses = {
        api: await httpCall(t.url, 'GET', '/healthz'),
        webIndex: await httpCall(t.url, 'GET', '/'),
        webAsset: await httpCall(t.url, 'GET', '/app.js'),
        phoneIndex: await httpCall(t.url, 'GET', '/phone/'),
        notFound: await httpCall(t.url, 'GET', '/v1/nope'),
        invalid: await httpCall(t.url, 'POST', '/v1/register/code', { body: { phoneNumber: 'x' } }),
        tooLarge: await httpCall(t.url, 'POST', '/v1/register/code', { body: { pad: 'x'.repeat(20_000) } }),
        unauthorized: await httpCall(t.url, 'GET', '/v1/session?client=web'),
        crossOrigin: await httpCall(t.url, 'POST', '/v1/logout?client=web', {
          headers: { origin: 'https://evil.example' },
        }),
      };
      expect(responses.api.status).toBe(200);
      expect(responses.webIndex.text).toContain('<title>web</title>');
      expect(responses.webAsset.text).toBe('console.log(1);');
      expect(responses.phoneIndex.text).toContain('<title>phone</title>');
      expect(responses.notFound.status).toBe(404);
      expect(responses.invalid.status).toBe(400);
      expect(responses.tooLarge.status).toBe(413);
      expect(responses.unauthorized.status).toBe(401);
      expect(responses.crossOrigin.status).toBe(403);
      for (const [what, r] of Object.entries(responses)) {
        expectSecurityHeaders(r.headers, what);
        expect(r.headers.get('strict-transport-security'), what).toBeNull();
      }
    });

    it('SEC-1 HSTS is sent when served over TLS', async () => {
      t = await startTestServer({ env: { TLS: 'true', PUBLIC_URL: 'https://chat.example.org' } });
      for (const p of ['/healthz', '/v1/nope']) {
        const r = await httpCall(t.url, 'GET', p);
        expectSecurityHeaders(r.headers, p);
        expect(r.headers.get('strict-transport-security')).toMatch(/^max-age=\d{8,}/);
      }
    });
  });
});
