import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRawResponse, rawRequest } from '../testing/rawHttp';
import { startTestServer, type TestServer } from '../testing/testServer';

/** SEC-1's headers and IN-1's `{error: {code, message}}` body, on an answer read off the wire. */
function expectErrorAnswer(raw: string, status: number, what: string): void {
  const r = parseRawResponse(raw);
  expect(r.status, `${what}\n${raw}`).toBe(status);
  expect(r.headers.get('content-security-policy'), what).toContain("frame-ancestors 'none'");
  expect(r.headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(r.headers.get('x-content-type-options'), what).toBe('nosniff');
  const body = JSON.parse(r.body) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code, what).toBe('string');
  expect(typeof body.error?.message, what).toBe('string');
  expect(r.body, what).not.toMatch(/FST_|statusCode|stack/);
}

const upgrade = (target: string, extra = '') =>
  `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;
const KEY = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

describe("SEC-4 the framework's own errors and refused upgrades look like every other error", () => {
  let t: TestServer;
  let port: number;
  beforeAll(async () => {
    t = await startTestServer();
    port = Number(new URL(t.url).port);
  });
  afterAll(async () => {
    await t.close();
  });

  const cases: Array<[string, string, number]> = [
    ['router: GET /%c0', 'GET /%c0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400],
    ['parser: method FOO', 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['parser: bare LF', 'GET / HTTP/1.1\nHost: x\n\n', 400],
    ['parser: headers too large', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    [
      'content type: text/plain',
      'POST /v1/register/code HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}',
      415,
    ],
    [
      'body limit',
      `POST /v1/register/code HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 20000\r\n\r\n{"a":"${'x'.repeat(19_990)}"}`,
      413,
    ],
    ['not found', 'GET /v1/nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 404],
    ['upgrade: target //[', upgrade('//[', KEY), 400],
    ['upgrade: no key', upgrade('/v1/link'), 400],
    ['upgrade: another origin', upgrade('/v1/link', `${KEY}Origin: https://evil.example\r\n`), 403],
    ['upgrade: unknown path', upgrade('/v1/nope', KEY), 404],
    [
      'upgrade: POST',
      `POST /v1/link HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n${KEY}Content-Length: 0\r\n\r\n`,
      405,
    ],
  ];

  for (const [what, request, status] of cases) {
    it(`SEC-4 ${what} → ${status} with the security headers and an {error} body`, async () => {
      expectErrorAnswer(await rawRequest(port, request), status, what);
    });
  }
});
