import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { builtAppsDir, type ChildServer, startChildServer } from './testing/childServer';
import { rawRequest, statusOf } from './testing/rawHttp';

/**
 * IN-5: the real node (main.ts in its own process) is sent request targets, headers and methods that
 * no browser would send, over raw TCP, on the plain HTTP path and on the WebSocket upgrade path.
 * After each one the node must still be running and serving.
 */

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

function upgrade(target: string, headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    Host: 'localhost',
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': KEY,
    ...headers,
  };
  const lines = Object.entries(all)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`);
  return `GET ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

function plain(method: string, target: string, headers: Record<string, string> = {}, body = ''): string {
  const lines = Object.entries({ Host: 'localhost', Connection: 'close', ...headers }).map(
    ([k, v]) => `${k}: ${v}`,
  );
  if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${method} ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Upgrades whose request target or handshake headers cannot be read: a clean 400. */
const MALFORMED_UPGRADES: Array<[string, string]> = [
  ['target //[', upgrade('//[')],
  ['target /\\[', upgrade('/\\[')],
  ['target //[::1', upgrade('//[::1')],
  ['absolute target http://[', upgrade('http://[/v1/ws')],
  ['target //[ on /v1/ws', upgrade('//[/v1/ws?client=web')],
  ['no Sec-WebSocket-Key', upgrade('/v1/ws?client=web', { 'Sec-WebSocket-Key': '' })],
  ['a bad Sec-WebSocket-Key', upgrade('/v1/link', { 'Sec-WebSocket-Key': '[[[' })],
  ['Sec-WebSocket-Version 99', upgrade('/v1/link', { 'Sec-WebSocket-Version': '99' })],
  ['a bad Sec-WebSocket-Protocol', upgrade('/v1/link', { 'Sec-WebSocket-Protocol': ',,, ,' })],
];

/** Upgrades that can be read but are refused: 403 (origin) or 404 (no such socket). */
const REFUSED_UPGRADES: Array<[string, string, number]> = [
  ['Origin http://[', upgrade('/v1/ws?client=web', { Origin: 'http://[' }), 403],
  ['Origin null', upgrade('/v1/link', { Origin: 'null' }), 403],
  ['Origin of another site', upgrade('/v1/link', { Origin: 'https://evil.example' }), 403],
  ['unknown path', upgrade('/v1/nope'), 404],
];

/** Upgrades that are let through and then closed by the socket's own rules. */
const ODD_BUT_READABLE_UPGRADES: Array<[string, string]> = [
  ['Host [', upgrade('/v1/ws?client=web', { Host: '[' })],
  ['no Host', upgrade('/v1/ws?client=web', { Host: '' })],
  ['a broken cookie', upgrade('/v1/ws?client=web', { Cookie: '__Host-latch-web=%E0%A4%A; =;=' })],
  ['X-Forwarded-For junk', upgrade('/v1/link', { 'X-Forwarded-For': ',,[' })],
  ['a huge User-Agent', upgrade('/v1/link', { 'User-Agent': `Mozilla/5.0 (${'('.repeat(4000)}` })],
  ['a bad client query', upgrade('/v1/ws?client=web&client=phone')],
  ['a query with a bad escape', upgrade('/v1/ws?client=%E0%A4%A')],
  // Ignored: the server offers no extensions.
  ['a bad Sec-WebSocket-Extensions', upgrade('/v1/link', { 'Sec-WebSocket-Extensions': 'x;;==,' })],
];

/** Plain HTTP requests: each gets an answer, never a 5xx, and the node carries on. */
const HOSTILE_HTTP: Array<[string, string]> = [
  ['target //[', plain('GET', '//[')],
  ['target /\\[', plain('GET', '/\\[')],
  ['target /%c0', plain('GET', '/%c0')],
  ['target /%', plain('GET', '/%')],
  ['target *', plain('GET', '*')],
  ['absolute target http://[', plain('GET', 'http://[/healthz')],
  ['a repeated query key', plain('GET', '/v1/session?client=web&client=phone')],
  ['a __proto__ query', plain('GET', '/v1/session?__proto__=x&client=web')],
  ['method FOO', plain('FOO', '/')],
  ['method TRACE', plain('TRACE', '/')],
  ['method PROPFIND', plain('PROPFIND', '/v1/session')],
  ['method DELETE', plain('DELETE', '/v1/logout')],
  ['a broken cookie', plain('GET', '/v1/session?client=web', { Cookie: '__Host-latch-web=%E0%A4%A; =;=' })],
  ['Origin http://[', plain('POST', '/v1/logout?client=web', { Origin: 'http://[' })],
  ['Host [', plain('GET', '/v1/session?client=phone', { Host: '[' })],
  [
    'a bad JSON charset',
    plain('POST', '/v1/register/code', { 'Content-Type': 'application/json; charset=utf-99' }, '{}'),
  ],
  ['a negative Content-Length', `POST /v1/register/code HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`],
  ['a bare LF request', 'GET / HTTP/1.1\nHost: x\n\n'],
  ['a NUL in the target', 'GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['garbage', '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003'],
];

describe('IN-5 no request target, header or method can stop a node (real process, raw TCP)', () => {
  let node: ChildServer;
  const appsDir = builtAppsDir();
  beforeAll(async () => {
    node = await startChildServer({ LOG_LEVEL: 'warn', APPS_DIR: appsDir, TRUST_PROXY: 'true' });
  }, 30_000);
  afterAll(async () => {
    await node?.stop();
    fs.rmSync(appsDir, { recursive: true, force: true });
  });

  async function expectServing(what: string): Promise<void> {
    expect(node.alive(), `${what}: the process exited\n${node.output()}`).toBe(true);
    const health = await fetch(`${node.url}/healthz`).catch(() => null);
    expect(health?.status, `${what}: /healthz afterwards`).toBe(200);
  }

  it('IN-5 malformed WebSocket upgrades get a clean 400 and the node keeps serving', async () => {
    for (const [what, request] of MALFORMED_UPGRADES) {
      const response = await rawRequest(node.port, request);
      expect(statusOf(response), `${what}\n${response}`).toBe(400);
      await expectServing(what);
    }
  });

  it('IN-5 refused and odd upgrades never stop the node', async () => {
    for (const [what, request, status] of REFUSED_UPGRADES) {
      const response = await rawRequest(node.port, request);
      expect(statusOf(response), `${what}\n${response}`).toBe(status);
      await expectServing(what);
    }
    for (const [what, request] of ODD_BUT_READABLE_UPGRADES) {
      const response = await rawRequest(node.port, request, 1000);
      const status = statusOf(response);
      // Let through to the socket (101, then closed by its own rules) or refused with a 4xx.
      expect(status === 101 || (status >= 400 && status < 500), `${what}\n${response}`).toBe(true);
      await expectServing(what);
    }
  });

  it('IN-5 protocol violations on sockets the server is about to close never stop the node', async () => {
    // A socket refused for its query, and a link channel, each sent an oversized frame and a text
    // frame that is not UTF-8 at once: ws reports these as 'error' events after closing.
    for (const path of ['/v1/ws?client=tablet', '/v1/link', '/v1/ws?client=web']) {
      for (const bad of [Buffer.alloc(70_000, 1), Buffer.from([0xff, 0xfe, 0xfd])]) {
        const ws = new WebSocket(`${node.url.replace('http', 'ws')}${path}`, {
          headers: { origin: node.url },
        });
        ws.on('error', () => undefined);
        await new Promise<void>((resolve) => {
          ws.on('open', () => ws.send(bad, { binary: bad.length > 10 }));
          ws.on('close', () => resolve());
        });
        await expectServing(`${path} ${bad.length} bytes`);
      }
    }
  });

  it('IN-5 hostile plain HTTP requests get an answer, never a 5xx, and the node keeps serving', async () => {
    for (const [what, request] of HOSTILE_HTTP) {
      const response = await rawRequest(node.port, request);
      const status = statusOf(response);
      // `GET *` is served the web app like `/`; everything else is refused with a 4xx.
      expect(status >= 200 && status < 500, `${what}\n${response}`).toBe(true);
      await expectServing(what);
    }
    expect(node.output()).not.toMatch(/uncaught|unhandled/i);
  });
});
