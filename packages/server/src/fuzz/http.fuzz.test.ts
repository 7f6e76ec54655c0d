import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtAppsDir } from '../testing/childServer';
import { rawRequest } from '../testing/rawHttp';
import { httpCall, type LoggedServer, registerPhone, startLoggedServer } from '../testing/testHelpers';
import {
  expectQuietLogs,
  expectWellFormedAnswer,
  FUZZ_TIMEOUT_MS,
  fuzzParams,
  headerValue,
  hostileJson,
  hostileString,
  mutatedObject,
} from './fuzzKit';

/** Every HTTP route with the keys of its valid body, so mutations start from something close. */
const ROUTES: Array<{ method: string; path: string; keys: string[] }> = [
  { method: 'GET', path: '/healthz', keys: [] },
  { method: 'GET', path: '/v1/session', keys: [] },
  { method: 'GET', path: '/v1/client-config', keys: [] },
  { method: 'POST', path: '/v1/register/code', keys: ['phoneNumber'] },
  {
    method: 'POST',
    path: '/v1/register/verify',
    keys: ['phoneNumber', 'code', 'publicKey', 'pin', 'forgotPin'],
  },
  { method: 'POST', path: '/v1/link/claim', keys: ['claimCode', 'signature'] },
  { method: 'POST', path: '/v1/logout', keys: [] },
  { method: 'POST', path: '/v1/logout/wiped', keys: ['deviceId', 'at', 'signature'] },
  { method: 'POST', path: '/v1/pin/reset/request', keys: ['phoneNumber'] },
  { method: 'POST', path: '/v1/pin/reset', keys: ['token'] },
  { method: 'GET', path: '/', keys: [] },
  { method: 'GET', path: '/phone/', keys: [] },
];

const VALID = {
  phoneNumber: fc.constantFrom('+15550009000', '+15550009001'),
  code: fc.constantFrom('123456', '000000'),
  publicKey: fc.constant('A'.repeat(87)),
  claimCode: fc.constant('A'.repeat(43)),
  signature: fc.constant('A'.repeat(86)),
  token: fc.constant('A'.repeat(43)),
  at: fc.integer(),
};

/** A request target: a route's path with a mutated query, or something else entirely. */
const target = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...ROUTES.map((r) => r.path)),
      fc.option(fc.constantFrom('client=web', 'client=phone', 'client=tablet', 'client=web&client=phone')),
      fc.option(fc.tuple(hostileString, hostileString)),
    )
    .map(([path, query, extra]) => {
      const params = [
        query,
        extra ? `${encodeURIComponent(extra[0])}=${encodeURIComponent(extra[1])}` : null,
      ];
      const q = params.filter(Boolean).join('&');
      return q ? `${path}?${q}` : path;
    }),
  hostileString.map((s) => `/${s.replace(/\s/g, '')}`),
  fc.constantFrom('*', '//[', '/\\[', 'http://[/', '/%c0', '/%', '/v1/%2e%2e/healthz', '/phone/../../x'),
);

const headers = fc.record(
  {
    origin: fc.oneof(headerValue, fc.constantFrom('null', 'https://evil.example', 'http://[')),
    cookie: fc.oneof(
      headerValue,
      hostileString.map((s) => `__Host-latch-web=${encodeURIComponent(s)}`),
      hostileString.map((s) => `__Host-latch-phone=${encodeURIComponent(s)}.${'A'.repeat(43)}`),
    ),
    'content-type': fc.oneof(
      headerValue,
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-99',
        'text/plain',
        'multipart/form-data',
      ),
    ),
    'x-latch-client': fc.oneof(headerValue, fc.constant('app')),
    'sec-fetch-site': fc.constantFrom('same-origin', 'cross-site', 'same-site', 'none', ''),
    'user-agent': headerValue,
    'x-forwarded-for': headerValue,
    'x-forwarded-host': headerValue,
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  fc.constant(''),
  hostileJson.map((v) => JSON.stringify(v)),
  hostileString,
  fc.constantFrom(...ROUTES).chain((r) => mutatedObject(r.keys, VALID).map((o) => JSON.stringify(o))),
);

function request(method: string, path: string, hs: Record<string, string>, payload: string): string {
  const lines = Object.entries({ host: 'localhost', connection: 'close', ...hs })
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`);
  if (payload) lines.push(`content-length: ${Buffer.byteLength(payload)}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${payload}`;
}

describe('IN-6 fuzz: hostile HTTP requests on a real server', () => {
  let s: LoggedServer;
  let port: number;
  const secrets: string[] = [];
  const appsDir = builtAppsDir();
  beforeAll(async () => {
    // TRUST_PROXY: X-Forwarded-For junk reaches req.ip, the rate-limit keys and the link channel.
    s = await startLoggedServer({ level: 'info', env: { APPS_DIR: appsDir, TRUST_PROXY: 'true' } });
    port = Number(new URL(s.url).port);
    const phone = await registerPhone(s, '+15550009999');
    secrets.push(phone.device.sessionCookie?.split('.')[1] ?? 'none');
    phone.socket.close();
  });
  afterAll(async () => {
    await s?.close();
    fs.rmSync(appsDir, { recursive: true, force: true });
  });

  it(
    'IN-6 random methods, targets, headers and bodies: 4xx never 5xx, SEC-1 headers, {error} bodies, quiet logs',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'),
            fc.constant('POST'),
          ),
          target,
          headers,
          body,
          async (method, path, hs, payload) => {
            const raw = await rawRequest(port, request(method, path, hs, method === 'GET' ? '' : payload));
            expectWellFormedAnswer(raw, method, `${method} ${path}`);
          },
        ),
        fuzzParams(250),
      );
      expect((await httpCall(s.url, 'GET', '/healthz')).status).toBe(200);
      expectQuietLogs(s.logs, secrets);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'IN-6 random WebSocket upgrades: 101 or a 4xx with SEC-1 headers and an {error} body',
    async () => {
      const upgradeHeaders = fc.record(
        {
          origin: fc.oneof(headerValue, fc.constant(s.url)),
          'sec-websocket-key': fc.oneof(headerValue, fc.constant('dGhlIHNhbXBsZSBub25jZQ==')),
          'sec-websocket-version': fc.oneof(headerValue, fc.constant('13')),
          'sec-websocket-protocol': headerValue,
          'sec-websocket-extensions': headerValue,
          cookie: headerValue,
          'x-forwarded-for': headerValue,
        },
        { requiredKeys: [] },
      );
      const upgradeTarget = fc.oneof(
        target,
        fc.constantFrom('/v1/ws?client=web', '/v1/ws?client=phone', '/v1/link', '/v1/ws', '/v1/ws?client=%'),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'POST'),
          upgradeTarget,
          upgradeHeaders,
          async (method, path, hs) => {
            const raw = await rawRequest(
              port,
              request(method, path, { connection: 'Upgrade', upgrade: 'websocket', ...hs }, ''),
              500,
            );
            expectWellFormedAnswer(raw, method, `upgrade ${method} ${path}`);
          },
        ),
        fuzzParams(80),
      );
      expect((await httpCall(s.url, 'GET', '/healthz')).status).toBe(200);
      expectQuietLogs(s.logs, secrets);
    },
    FUZZ_TIMEOUT_MS,
  );
});
