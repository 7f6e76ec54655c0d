import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SCRIPT = `export const big = ${JSON.stringify('latch '.repeat(2000))};\n`;

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET that sends exactly these headers and returns the bytes as they came (fetch would decode them). */
function rawGet(base: string, pathname: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(pathname, base), { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

/** Two built apps as the Vite build leaves them: hashed assets with .br/.gz beside them. */
function writeApps(dir: string): void {
  for (const [app, base] of [
    ['web', '/'],
    ['phone', '/phone/'],
  ] as const) {
    const dist = path.join(dir, app, 'dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'index.html'), `<!doctype html><title>${app}</title>`);
    fs.writeFileSync(path.join(dist, 'sw.js'), `// ${base} worker`);
    fs.writeFileSync(path.join(dist, 'manifest.webmanifest'), '{}');
    const asset = path.join(dist, 'assets', 'index-AbC123xy.js');
    fs.writeFileSync(asset, SCRIPT);
    fs.writeFileSync(`${asset}.br`, zlib.brotliCompressSync(SCRIPT));
    fs.writeFileSync(`${asset}.gz`, zlib.gzipSync(SCRIPT));
  }
}

describe('serving the built apps', () => {
  let t: TestServer | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await t?.close();
    t = undefined;
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  async function serveApps(): Promise<{ url: string; appsDir: string }> {
    const appsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-static-'));
    dirs.push(appsDir);
    writeApps(appsDir);
    t = await startTestServer({ env: { APPS_DIR: appsDir } });
    return { url: t.url, appsDir };
  }

  it('ASSET-1 hashed files are immutable for a year and sent pre-compressed by Accept-Encoding (br, then gzip, else plain)', async () => {
    const { url } = await serveApps();
    for (const prefix of ['/assets/', '/phone/assets/']) {
      const file = `${prefix}index-AbC123xy.js`;
      const br = await rawGet(url, file, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.status, file).toBe(200);
      expect(br.headers['content-encoding'], file).toBe('br');
      expect(br.headers['content-type'], file).toMatch(/javascript/);
      expect(br.headers.vary, file).toMatch(/accept-encoding/i);
      expect(br.headers['cache-control'], file).toBe(IMMUTABLE);
      expect(zlib.brotliDecompressSync(br.body).toString()).toBe(SCRIPT);
      expect(br.body.length).toBeLessThan(SCRIPT.length / 10);

      const gz = await rawGet(url, file, { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding'], file).toBe('gzip');
      expect(zlib.gunzipSync(gz.body).toString()).toBe(SCRIPT);

      const plain = await rawGet(url, file, { 'accept-encoding': 'identity' });
      expect(plain.headers['content-encoding'], file).toBeUndefined();
      expect(plain.body.toString()).toBe(SCRIPT);
      expect(plain.headers['cache-control'], file).toBe(IMMUTABLE);
    }
  });

  it('ASSET-1 pages, the service worker and the manifest are revalidated on every load (no-cache)', async () => {
    const { url } = await serveApps();
    for (const file of ['/', '/index.html', '/sw.js', '/manifest.webmanifest', '/phone/', '/phone/sw.js']) {
      const res = await rawGet(url, file);
      expect(res.status, file).toBe(200);
      expect(res.headers['cache-control'], file).toBe('no-cache');
    }
  });

  it('ASSET-2 deep links get their app’s index.html; missing files and API paths stay 404', async () => {
    const { url } = await serveApps();
    const html = { accept: 'text/html,application/xhtml+xml' };
    for (const [pathname, title] of [
      ['/chats/abc123', 'web'],
      ['/link/phone', 'web'],
      ['/phone/chats/abc123', 'phone'],
      ['/phone/settings/devices', 'phone'],
    ] as const) {
      const res = await rawGet(url, pathname, html);
      expect(res.status, pathname).toBe(200);
      expect(res.body.toString(), pathname).toContain(`<title>${title}</title>`);
      expect(res.headers['cache-control'], pathname).toBe('no-cache');
      expect(res.headers['content-type'], pathname).toMatch(/^text\/html/);
    }
    for (const pathname of [
      '/assets/gone-1234.js',
      '/phone/assets/gone-1234.js',
      '/v1/nope',
      '/favicon.ico',
    ]) {
      const res = await rawGet(url, pathname, html);
      expect(res.status, pathname).toBe(404);
      expect(res.headers['content-type'], pathname).toMatch(/^application\/json/);
    }
  });

  it('ASSET-3 files written after the server started are served (a build during an upgrade)', async () => {
    const { url, appsDir } = await serveApps();
    fs.writeFileSync(path.join(appsDir, 'web', 'dist', 'assets', 'ChatScreen-New12345.js'), 'export {};');
    const res = await rawGet(url, '/assets/ChatScreen-New12345.js');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('export {};');
  });
});
