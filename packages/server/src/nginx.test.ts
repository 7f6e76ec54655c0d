import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { linkHeadlessComputer, registerHeadlessPhone } from './headless/headlessDevice';
import {
  allAvailable,
  busUrlWithChannel,
  createTestDatabase,
  probePostgres,
  probeRedis,
  type TestDatabase,
} from './testing/testBackends';
import { randomPhoneNumber, waitUntil } from './testing/testHelpers';
import { startTestServer, type TestServer } from './testing/testServer';

/**
 * NODE-4: the nginx configuration published in docs/deploy.md, run for real (TLS with a self-signed
 * certificate, loopback ports) in front of two nodes on PostgreSQL and Redis.
 */

const NGINX = '/usr/sbin/nginx';
const OPENSSL = '/usr/bin/openssl';
const DEPLOY_DOC = path.resolve(import.meta.dirname, '../../../docs/deploy.md');

async function available(): Promise<boolean> {
  const what = 'NODE-4 two nodes behind nginx (nginx.test.ts)';
  for (const bin of [NGINX, OPENSSL]) {
    if (!fs.existsSync(bin)) {
      console.warn(`\n[NOT RUN] ${what}: ${bin} is not installed (apt-get install -y nginx openssl).\n`);
      return false;
    }
  }
  return allAvailable(await Promise.all([probePostgres(), probeRedis()]), what);
}

const runs = await available();

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise((r) => server.close(r));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** The ```nginx block of docs/deploy.md with test addresses in place of the example ones. */
function configFromDocs(ports: { a: number; b: number; tls: number; http: number }, dir: string): string {
  const doc = fs.readFileSync(DEPLOY_DOC, 'utf8');
  const block = doc.match(/```nginx\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error('docs/deploy.md has no ```nginx block');
  const swaps: Array<[string, string]> = [
    ['server 10.0.0.11:8080', `server 127.0.0.1:${ports.a}`],
    ['server 10.0.0.12:8080', `server 127.0.0.1:${ports.b}`],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${ports.tls} ssl http2;`],
    ['listen 80;', `listen 127.0.0.1:${ports.http};`],
    ['/etc/letsencrypt/live/chat.example.org/fullchain.pem', path.join(dir, 'cert.pem')],
    ['/etc/letsencrypt/live/chat.example.org/privkey.pem', path.join(dir, 'key.pem')],
  ];
  let conf = block;
  for (const [from, to] of swaps) {
    // Each example value must be there exactly once, or the doc and this test have drifted apart.
    expect(conf.split(from)).toHaveLength(2);
    conf = conf.replace(from, to);
  }
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, 'tmp', name)};`;
  return `pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
worker_processes 1;
events { worker_connections 256; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
${conf}
}
`;
}

describe.runIf(runs)('NODE-4 two nodes behind the nginx configuration of docs/deploy.md', () => {
  let dir: string;
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  let nginx: ChildProcess | undefined;
  let baseUrl: string;
  let httpPort: number;

  beforeAll(async () => {
    // The certificate is self-signed; this process (a test worker) accepts it.
    vi.stubEnv('NODE_TLS_REJECT_UNAUTHORIZED', '0');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-nginx-'));
    fs.mkdirSync(path.join(dir, 'tmp'));
    execFileSync(
      OPENSSL,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );

    database = await createTestDatabase((await probePostgres()).url);
    const tls = await freePort();
    httpPort = await freePort();
    baseUrl = `https://localhost:${tls}`;
    const env = {
      DATABASE_URL: database.url,
      BUS_URL: busUrlWithChannel((await probeRedis()).url),
      TRUST_PROXY: 'true',
      TLS: 'true',
      PUBLIC_URL: baseUrl,
    };
    a = await startTestServer({ env });
    b = await startTestServer({ env });
    const conf = configFromDocs(
      { a: Number(new URL(a.url).port), b: Number(new URL(b.url).port), tls, http: httpPort },
      dir,
    );
    fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
    const globals = `daemon off; master_process on;${process.getuid?.() === 0 ? ' user root;' : ''}`;
    nginx = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', globals], { stdio: 'ignore' });
    await waitUntil(async () => {
      try {
        return (await fetch(`${baseUrl}/healthz`)).ok;
      } catch {
        return false;
      }
    }, 10_000);
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx?.once('exit', r));
      nginx.kill('SIGTERM'); // fast shutdown: does not wait for open WebSockets
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
      if (nginx.exitCode === null) nginx.kill('SIGKILL');
    }
    const closed = await Promise.allSettled([a?.close(), b?.close()]);
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    vi.unstubAllEnvs();
    for (const c of closed) if (c.status === 'rejected') throw c.reason;
  });

  /** The SMS code went to whichever node the proxy picked. */
  const readCode = (n: string) => Promise.race([a.sms.next(n), b.sms.next(n)]);

  it('NODE-4 OUT-1 links through the proxy; the computer\'s "Log out" and the phone\'s logout close its socket within 1 s', async () => {
    const phone = await registerHeadlessPhone(baseUrl, randomPhoneNumber(), 'Ada', readCode);
    const first = await linkHeadlessComputer(baseUrl, phone);
    const s1 = await first.connect();
    const where = (id: string | undefined) =>
      [a, b].findIndex((n) => n.server.conns.all().some((c) => c.deviceId === id));
    const ready = await s1.ready;
    console.info(
      `NODE-4 phone socket on node ${'AB'[where((await phone.socket.ready).deviceId)]}, computer on node ${'AB'[where(ready.deviceId)]}`,
    );

    // "Log out" from the computer's menu.
    let started = Date.now();
    const out = await first.http('POST', '/v1/logout?client=web');
    expect(out.status).toBe(204);
    expect(out.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"');
    expect(await s1.closed).toEqual({ code: 4403, reason: 'self' });
    expect(Date.now() - started).toBeLessThan(1000);

    // "Log out from all devices" on the phone.
    const second = await linkHeadlessComputer(baseUrl, phone);
    const s2 = await second.connect();
    started = Date.now();
    await phone.socket.request('devices.logoutAll', {});
    expect(await s2.closed).toEqual({ code: 4403, reason: 'phone' });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(1000);
    console.info(`NODE-4 logout from the phone closed the computer through nginx in ${elapsed} ms`);
    // SEC-4 on PostgreSQL: the holder of the secret is told why; the logout moved the hash in one UPDATE.
    const after = await second.http('GET', '/v1/session?client=web');
    expect(after.status).toBe(401);
    expect(after.json).toMatchObject({ error: { code: 'unauthorized', details: { reason: 'phone' } } });
    phone.socket.close();
  });

  it('IN-5 a malformed WebSocket upgrade through the proxy gets a 4xx and both nodes keep serving', async () => {
    const port = Number(new URL(baseUrl).port);
    for (const target of ['//[', '/\\[', '//[/v1/ws?client=web']) {
      const answer = await new Promise<string>((resolve) => {
        let received = '';
        const socket = tls.connect({
          port,
          host: '127.0.0.1',
          servername: 'localhost',
          rejectUnauthorized: false,
        });
        socket.setEncoding('latin1');
        const done = () => {
          socket.destroy();
          resolve(received);
        };
        socket.on('data', (chunk: string) => {
          received += chunk;
          if (received.includes('\r\n\r\n')) done();
        });
        socket.on('close', done);
        socket.on('error', done);
        setTimeout(() => socket.destroy(), 3000).unref();
        socket.write(
          `GET ${target} HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
            'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
        );
      });
      expect(answer, target).toMatch(/^HTTP\/1\.1 4\d\d /);
    }
    for (const node of [a, b]) expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
  });

  it('NODE-4 the proxy overwrites X-Forwarded-For, sends HSTS through, and redirects plain HTTP', async () => {
    const number = randomPhoneNumber();
    const res = await fetch(`${baseUrl}/v1/register/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl, 'x-forwarded-for': '6.6.6.6' },
      body: JSON.stringify({ phoneNumber: number }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    await readCode(number);
    const limits = a.server.ctx.repos.rateLimits;
    expect(await limits.find('sms-ip:6.6.6.6')).toBeUndefined();
    expect(await limits.find('sms-ip:127.0.0.1')).toBeDefined();

    const plain = await fetch(`http://127.0.0.1:${httpPort}/phone`, { redirect: 'manual' });
    expect(plain.status).toBe(301);
    expect(plain.headers.get('location')).toBe('https://127.0.0.1/phone');
  });
});
