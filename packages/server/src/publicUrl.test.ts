import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from './config';
import { PublicUrl } from './publicUrl';
import { freePort } from './testing/childServer';
import { type Gateway, httpCall, registerPhone, startGateway } from './testing/testHelpers';
import { startTestServer, type TestServer } from './testing/testServer';

const NUMBER = '+15550007000';

/** A POST whose Host and X-Forwarded-* headers say what an attacker wants (fetch cannot set Host). */
function postWithHeaders(url: string, path: string, body: object, headers: Record<string, string>) {
  return new Promise<number>((resolve, reject) => {
    const req = http.request(new URL(path, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('SEC-5 absolute URLs come from PUBLIC_URL', () => {
  let t: TestServer | undefined;
  let mail: Gateway | undefined;
  afterEach(async () => {
    await t?.close();
    await mail?.close();
    t = undefined;
    mail = undefined;
  });

  it('SEC-5 PUBLIC_URL is an absolute http(s) origin; unset it is derived from HOST and PORT; TLS needs https', () => {
    expect(parseConfig({}).publicUrl).toBeNull();
    expect(new PublicUrl(parseConfig({})).origin).toBe('http://localhost:8080');
    expect(new PublicUrl(parseConfig({ HOST: '0.0.0.0', PORT: '9000' })).origin).toBe(
      'http://localhost:9000',
    );
    expect(new PublicUrl(parseConfig({ HOST: '10.0.0.11' })).origin).toBe('http://10.0.0.11:8080');
    const set = parseConfig({ PUBLIC_URL: 'https://Chat.Example.org:443/' });
    expect(set.publicUrl).toBe('https://chat.example.org');
    expect(new PublicUrl(set).to('/phone/#x')).toBe('https://chat.example.org/phone/#x');
    for (const bad of [
      'chat.example.org',
      'ftp://chat.example.org',
      'https://chat.example.org/latch',
      'https://chat.example.org/?a=1',
      'https://user:pw@chat.example.org',
      'javascript:alert(1)',
    ]) {
      expect(() => parseConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    }
    expect(() => parseConfig({ TLS: 'true' })).toThrow(/PUBLIC_URL/);
    expect(() => parseConfig({ TLS: 'true', PUBLIC_URL: 'http://chat.example.org' })).toThrow(/PUBLIC_URL/);
    expect(parseConfig({ TLS: 'true', PUBLIC_URL: 'https://chat.example.org' }).tls).toBe(true);
  });

  it('SEC-5 same-origin means PUBLIC_URL (plus ALLOWED_ORIGINS), never what Host says', () => {
    const prod = new PublicUrl(
      parseConfig({ PUBLIC_URL: 'https://chat.example.org', ALLOWED_ORIGINS: 'https://app.example' }),
    );
    expect(prod.allows('https://chat.example.org')).toBe(true);
    expect(prod.allows('https://app.example')).toBe(true);
    expect(prod.allows(undefined)).toBe(true);
    for (const origin of [
      'http://chat.example.org',
      'https://evil.example',
      'null',
      'http://[',
      'http://127.0.0.1:8080',
    ]) {
      expect(prod.allows(origin), origin).toBe(false);
    }
    // A local run: the loopback spellings of the port it listens on, and nothing else.
    const local = new PublicUrl(parseConfig({ PORT: '0' }));
    local.bind(4321);
    expect(local.origin).toBe('http://localhost:4321');
    for (const origin of ['http://localhost:4321', 'http://127.0.0.1:4321', 'http://[::1]:4321']) {
      expect(local.allows(origin), origin).toBe(true);
    }
    for (const origin of [
      'http://localhost:4322',
      'http://127.0.0.1.evil.example:4321',
      'https://localhost:4321',
    ]) {
      expect(local.allows(origin), origin).toBe(false);
    }
  });

  it('SEC-5 a PIN-reset request with a hostile Host and X-Forwarded-Host still emails a link on PUBLIC_URL', async () => {
    mail = await startGateway({});
    const port = await freePort();
    const local = `http://127.0.0.1:${port}`;
    t = await startTestServer({
      env: {
        PORT: String(port),
        PUBLIC_URL: 'https://chat.example.org',
        // The test's own clients talk to the node directly.
        ALLOWED_ORIGINS: local,
        TRUST_PROXY: 'true',
        EMAIL_TRANSPORT: 'webhook',
        EMAIL_WEBHOOK_URL: mail.url,
      },
    });
    const phone = await registerPhone(t, NUMBER);
    await phone.socket.request('pin.set', { pin: '275913', recoveryEmail: 'ada@example.com' });

    const status = await postWithHeaders(
      t.url,
      '/v1/pin/reset/request',
      { phoneNumber: NUMBER },
      {
        host: 'evil.example',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'http',
        origin: 'https://chat.example.org',
      },
    );
    expect(status).toBe(202);
    expect(mail.requests).toHaveLength(1);
    const text = String((mail.requests[0]?.body as { text?: string } | undefined)?.text);
    expect(text).toMatch(/https:\/\/chat\.example\.org\/phone\/#pin-reset=[A-Za-z0-9_-]{43}\b/);
    expect(text).not.toContain('evil');
    expect(text).not.toContain('127.0.0.1');
  });

  it('SEC-5 POSTs from an origin other than PUBLIC_URL are refused, whatever Host says', async () => {
    t = await startTestServer({ env: { PUBLIC_URL: 'https://chat.example.org' } });
    // Origin and Host agree (as on a DNS-rebinding page), but neither is PUBLIC_URL.
    const rebound = await postWithHeaders(
      t.url,
      '/v1/register/code',
      { phoneNumber: NUMBER },
      { host: 'rebound.example', origin: 'http://rebound.example' },
    );
    expect(rebound).toBe(403);
    const r = await httpCall(t.url, 'POST', '/v1/register/code', {
      body: { phoneNumber: NUMBER },
      headers: { origin: 'https://chat.example.org' },
    });
    expect(r.status).toBe(200);
  });
});
