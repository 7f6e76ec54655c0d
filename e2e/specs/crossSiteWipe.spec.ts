import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { indexedDbNames } from '../harness/chat';
import { linkWithHeadlessPhone, registerHeadless } from '../harness/headlessPhone';
import { browserSuite } from '../harness/suite';

/**
 * SEC-3: a page on another site points an <img> at Latch's session endpoint. Before the fix, the
 * cookie-less 401 carried Clear-Site-Data and Chromium wiped the linked computer's IndexedDB
 * while its server session stayed active.
 */

const DESKTOP = { width: 1280, height: 800 };
const suite = browserSuite();

/** Another site: its own host name and port, serving one page whose <img> hits Latch. */
async function startHostileSite(latchUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const page = `<!doctype html><title>cute cats</title>
<img id="a" src="${latchUrl}/v1/session?client=web">
<img id="b" src="${latchUrl}/v1/session?client=phone">
<form id="f" method="post" action="${latchUrl}/v1/logout?client=web"></form>`;
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // "localhost" is another site than "127.0.0.1", where the Latch page lives.
  return { url: `http://localhost:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('SEC-3 another site cannot wipe a linked computer', () => {
  it('SEC-3 an <img> and a form on another site leave the computer its IndexedDB, cookie and session', async () => {
    const { server } = suite;
    const phone = await registerHeadless(server);
    const computer = await suite.newPage(DESKTOP);
    const deviceId = await linkWithHeadlessPhone(phone, computer, server);
    const databases = await indexedDbNames(computer);
    expect(databases.length).toBeGreaterThan(0);

    const site = await startHostileSite(server.url);
    try {
      // The same browser profile visits the other site (a new tab of the computer's context).
      const visit = await computer.context().newPage();
      const asked: string[] = [];
      visit.on('request', (r) => {
        if (r.url().startsWith(server.url)) asked.push(new URL(r.url()).pathname + new URL(r.url()).search);
      });
      await visit.goto(site.url);
      await visit.waitForFunction(() =>
        ['a', 'b'].every((id) => (document.getElementById(id) as HTMLImageElement | null)?.complete),
      );
      // And a cross-site form POST to the logout endpoint: refused (another Origin).
      await Promise.all([
        visit.waitForResponse((r) => r.url().includes('/v1/logout')),
        visit.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit()),
      ]);
      expect(asked).toEqual(
        expect.arrayContaining([
          '/v1/session?client=web',
          '/v1/session?client=phone',
          '/v1/logout?client=web',
        ]),
      );
      await visit.close();
    } finally {
      await site.close();
    }

    expect(await indexedDbNames(computer)).toEqual(databases);
    expect((await computer.context().cookies()).map((c) => c.name)).toContain('__Host-latch-web');
    const { devices } = await phone.socket.request('devices.list', {});
    expect(devices.find((d) => d.id === deviceId)?.status).toBe('active');
    // Reopening goes straight to the chats (LNK-13): nothing was lost.
    await computer.reload();
    await computer.getByRole('region', { name: 'Chats' }).waitFor();
    phone.socket.close();
  });
});
