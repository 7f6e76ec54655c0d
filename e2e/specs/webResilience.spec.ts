import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { chatRow, openChat, sendAs, waitForMessage } from '../harness/chat';
import { linkWithHeadlessPhone, registerHeadless } from '../harness/headlessPhone';
import { startServer, type TestServer } from '../harness/server';
import { browserSuite } from '../harness/suite';
import { startTcpProxy, type TcpProxy } from '../harness/tcpProxy';

const suite = browserSuite();
const DESKTOP = { width: 1280, height: 800 };
const proxies: TcpProxy[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  for (const p of proxies.splice(0)) await p.close();
  for (const s of servers.splice(0)) await s.stop();
});

/**
 * A server reached only through a proxy whose network the test can cut. The proxy is the address
 * people use (PUBLIC_URL: requests and sockets from any other origin are refused, SEC-5).
 */
async function behindProxy(): Promise<{ proxy: TcpProxy; server: TestServer }> {
  const proxy = await startTcpProxy([]);
  proxies.push(proxy);
  const server = await startServer({ env: { PUBLIC_URL: proxy.url } });
  servers.push(server);
  proxy.prefer(server.port);
  return { proxy, server: { ...server, url: proxy.url } };
}

/** Ann's computer, linked, with a direct chat from Bob open. */
async function computerWithChat(server: TestServer, page: Page) {
  const ann = await registerHeadless(server, 'Ann');
  const bob = await registerHeadless(server, 'Bob');
  const chat = await bob.socket.request('chats.openDirect', { phoneNumber: ann.number });
  await sendAs(bob, chat.id, 'hello from Bob');
  await linkWithHeadlessPhone(ann, page, server);
  await openChat(page, 'Bob');
  await waitForMessage(page, 'hello from Bob');
  return { ann, bob, chat };
}

const statusBar = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text });

describe('the computer keeps its place and its footing', () => {
  it('NAV-1 the open chat is in the URL: a reload reopens it and Back closes it', async () => {
    const page = await suite.newPage(DESKTOP);
    const { chat, ann, bob } = await computerWithChat(suite.server, page);
    expect(new URL(page.url()).pathname).toBe(`/chats/${chat.id}`);

    await page.reload();
    await page.getByRole('log', { name: 'Messages with Bob' }).waitFor();
    await waitForMessage(page, 'hello from Bob');

    await page.goBack();
    await page.getByRole('log', { name: 'Messages with Bob' }).waitFor({ state: 'detached' });
    expect(new URL(page.url()).pathname).toBe('/');
    await chatRow(page, 'Bob').waitFor();
    ann.socket.close();
    bob.socket.close();
  });

  it('APP-1 a part of the app that fails to download shows what happened, and Reload recovers', async () => {
    const context = await suite.browser.newContext({ viewport: DESKTOP, serviceWorkers: 'block' });
    try {
      const page = await context.newPage();
      // As after an upgrade that removed the old build: the chunk is gone until the page reloads.
      let gone = true;
      let refused = 0;
      await page.route(/\/assets\/QrLinkPage-[\w-]+\.js$/, async (route) => {
        if (!gone) return route.continue();
        refused += 1;
        await route.fulfill({ status: 404, contentType: 'application/json', body: '{}' });
      });
      await page.goto(`${suite.server.url}/`);
      await page.getByRole('heading', { name: 'Latch could not load' }).waitFor();
      await page.getByRole('alert').filter({ hasText: 'Part of the app did not load' }).waitFor();
      expect(refused).toBeGreaterThan(0);

      gone = false;
      await page.getByRole('button', { name: 'Reload' }).click();
      await page.getByRole('img', { name: /QR code/ }).waitFor();
      expect(await page.getByRole('heading', { name: 'Latch could not load' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('NET-1 NET-2 NET-3 a cut network shows "Offline" within 5 s, presence becomes unknown, and an offline reload opens the cached chats', async () => {
    const { proxy, server } = await behindProxy();
    const page = await suite.newPage(DESKTOP);
    const { ann, bob } = await computerWithChat(server, page);
    await page.getByRole('main').getByText('online', { exact: true }).waitFor();
    // The app shell is installed (precached) before the network goes.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });

    proxy.blackhole();
    await page.context().setOffline(true);
    const cut = Date.now();
    await statusBar(page, 'Offline').waitFor({ timeout: 5_000 });
    expect(Date.now() - cut).toBeLessThan(5_000);
    expect(await page.getByRole('main').getByText('online', { exact: true }).count()).toBe(0);

    await page.reload();
    await page.getByRole('log', { name: 'Messages with Bob' }).waitFor();
    await waitForMessage(page, 'hello from Bob');
    await chatRow(page, 'Bob').waitFor();
    await statusBar(page, 'Offline').waitFor();

    await page.context().setOffline(false);
    proxy.restore();
    await statusBar(page, 'Offline').waitFor({ state: 'detached' });
    await page.getByRole('main').getByText('online', { exact: true }).waitFor({ timeout: 20_000 });
    ann.socket.close();
    bob.socket.close();
  });

  it('NET-1 a connection that goes silent without the browser noticing is dropped by the heartbeat', async () => {
    const { proxy, server } = await behindProxy();
    const page = await suite.newPage(DESKTOP);
    const { ann, bob } = await computerWithChat(server, page);
    proxy.blackhole();
    const cut = Date.now();
    // One quiet interval (10 s) and one unanswered ping (4 s), with room for a slow machine.
    await statusBar(page, 'Connecting…').waitFor({ timeout: 20_000 });
    expect(Date.now() - cut).toBeLessThan(20_000);
    proxy.restore();
    await statusBar(page, 'Connecting…').waitFor({ state: 'detached', timeout: 30_000 });
    ann.socket.close();
    bob.socket.close();
  });
});
