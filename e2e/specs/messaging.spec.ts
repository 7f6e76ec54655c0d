import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PHONE_VIEWPORT } from '../harness/browser';
import {
  CACHE_DB_NAME,
  chatList,
  chatRow,
  eventually,
  indexedDbNames,
  messageRows,
  numberedMessages,
  openChat,
  readCacheSummary,
  receivedLive,
  sendAs,
  sendFromComputer,
  waitForMessage,
} from '../harness/chat';
import { linkWithHeadlessPhone, registerHeadless } from '../harness/headlessPhone';
import { linkComputer } from '../harness/link';
import { registerPhone } from '../harness/phone';
import { startServer, type TestServer } from '../harness/server';

const DESKTOP = { width: 1280, height: 800 };

let server: TestServer;
let browser: Browser;
let tmp: string;
const contexts: BrowserContext[] = [];

async function newPage(viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  return context.newPage();
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'latch-e2e-msg-'));
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('messaging on the computer', () => {
  it('MSG-1 a message from the computer reaches the other person and its own phone live; the reply comes back live', async () => {
    const phoneA = await newPage(PHONE_VIEWPORT);
    await registerPhone(phoneA, server, { phoneNumber: '+15557770001', name: 'Ann Phone' });
    const bob = await registerHeadless(server, 'Bob');
    const computer = await newPage();
    await linkComputer(phoneA, computer, server);
    await phoneA.getByRole('button', { name: 'Dismiss' }).click();

    await computer.getByRole('button', { name: 'New chat' }).click();
    const dialog = computer.getByRole('dialog', { name: 'New chat' });
    await dialog.getByRole('textbox', { name: 'Phone number' }).fill(bob.number);
    await dialog.getByRole('button', { name: 'Start chat' }).click();
    await computer.getByRole('log', { name: 'Messages with Bob' }).waitFor();
    await sendFromComputer(computer, 'Hello from the computer');

    const arrived = await receivedLive(bob, 'Hello from the computer');
    await waitForMessage(computer, 'Hello from the computer');
    // The account's own phone shows it too, live.
    await phoneA.getByRole('button', { name: 'Back' }).click();
    await phoneA.getByRole('tab', { name: 'Chats' }).click();
    await phoneA.getByRole('list', { name: 'Chats' }).getByRole('button', { name: /Bob/ }).click();
    await phoneA.getByRole('log').getByText('Hello from the computer').waitFor();

    await sendAs(bob, arrived.chatId, 'Hi back from Bob');
    await waitForMessage(computer, 'Hi back from Bob');
    expect(await messageRows(computer).count()).toBe(2);
  });

  it('MSG-1 a computer that was closed while 50 messages arrived shows its cached chats at once, then all 50 in order, once each', async () => {
    const ann = await registerHeadless(server, 'Ann');
    const bob = await registerHeadless(server, 'Bob');
    const profile = path.join(tmp, 'profile-offline');
    let computer = await launchBrowser({ userDataDir: profile });
    let page = computer.pages()[0] ?? (await computer.newPage());
    await linkWithHeadlessPhone(ann, page, server);

    const chat = await bob.socket.request('chats.openDirect', { phoneNumber: ann.number });
    await sendAs(bob, chat.id, 'before 0');
    await openChat(page, 'Bob');
    await waitForMessage(page, 'before 0');
    await eventually('the chat and its message are cached', async () => {
      const cached = await readCacheSummary(page);
      return cached !== null && cached.chats === 1 && cached.messages === 1;
    });
    await computer.close();

    // While the computer is closed: 50 messages, from Bob and from Ann's own phone.
    for (let i = 1; i <= 50; i++) await sendAs(i % 5 === 0 ? ann : bob, chat.id, `offline ${i}`);

    computer = await launchBrowser({ userDataDir: profile });
    page = computer.pages()[0] ?? (await computer.newPage());
    // Hold the socket back: what shows now can only come from the local cache.
    let openSocket: () => void = () => undefined;
    const socketAllowed = new Promise<void>((resolve) => {
      openSocket = resolve;
    });
    await page.routeWebSocket(/\/v1\/ws/, async (ws) => {
      await socketAllowed;
      ws.connectToServer();
    });
    try {
      await page.goto(`${server.url}/`);
      await chatRow(page, 'Bob').waitFor();
      await page.getByRole('status').filter({ hasText: 'Connecting…' }).waitFor();
      expect(await indexedDbNames(page)).toContain(CACHE_DB_NAME);
      await openChat(page, 'Bob');
      await waitForMessage(page, 'before 0');

      openSocket();
      await waitForMessage(page, 'offline 50', 30_000);
      await eventually(
        'all 50 offline messages',
        async () => (await numberedMessages(page, 'offline')).length >= 50,
      );
      const shown = await numberedMessages(page, 'offline');
      expect(shown).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await messageRows(page).count()).toBe(51);
    } finally {
      await computer.close();
    }
  });

  it('MSG-1 a computer whose connection drops catches up on reconnect: every message, once, in order', async () => {
    const gus = await registerHeadless(server, 'Gus');
    const hana = await registerHeadless(server, 'Hana');
    const page = await newPage();
    let connected = true;
    const sockets: WebSocketRoute[] = [];
    /** The methods of the requests the page sent, in order. */
    const requested: string[] = [];
    await page.context().routeWebSocket(/\/v1\/ws/, async (ws) => {
      sockets.push(ws);
      while (!connected) await new Promise((r) => setTimeout(r, 50));
      const upstream = ws.connectToServer();
      ws.onMessage((frame) => {
        const method = /"method":"([\w.]+)"/.exec(String(frame))?.[1];
        if (method) requested.push(method);
        upstream.send(frame);
      });
    });
    await linkWithHeadlessPhone(gus, page, server);
    const chat = await hana.socket.request('chats.openDirect', { phoneNumber: gus.number });
    await sendAs(hana, chat.id, 'gap 0');
    await openChat(page, 'Hana');
    await waitForMessage(page, 'gap 0');

    connected = false;
    await sockets.at(-1)?.close({ code: 1001, reason: 'network change' });
    await page.getByRole('status').filter({ hasText: 'Connecting…' }).waitFor();
    for (let i = 1; i <= 20; i++) await sendAs(i % 4 === 0 ? gus : hana, chat.id, `gap ${i}`);
    const mark = requested.length;
    connected = true;

    await waitForMessage(page, 'gap 20', 30_000);
    await eventually('all 20 messages', async () => (await numberedMessages(page, 'gap')).length >= 21);
    expect(await numberedMessages(page, 'gap')).toEqual(Array.from({ length: 21 }, (_, i) => i));
    // They came from the catch-up from the cursor, not from filling holes afterwards.
    expect(requested.slice(mark)).toContain('messages.sync');
    expect(requested.slice(mark)).not.toContain('messages.history');
    await sendFromComputer(page, 'back online');
    await receivedLive(hana, 'back online');
  });

  it('MSG-6 a computer linked after 200 messages pages them all in as it scrolls up, in order', async () => {
    const cleo = await registerHeadless(server, 'Cleo');
    const dan = await registerHeadless(server, 'Dan');
    const chat = await dan.socket.request('chats.openDirect', { phoneNumber: cleo.number });
    for (let i = 1; i <= 200; i++) await sendAs(i % 2 === 0 ? cleo : dan, chat.id, `history ${i}`);

    const page = await newPage();
    await linkWithHeadlessPhone(cleo, page, server);
    await openChat(page, 'Dan');
    await waitForMessage(page, 'history 200');
    // The catch-up kept the newest messages only: the rest must page in.
    expect(await messageRows(page).count()).toBeLessThan(200);
    const log = page.getByRole('log');
    const anchor = messageRows(page).filter({ hasText: 'history 101' });
    await log.evaluate((el) => {
      el.scrollTop = 0;
    });
    const before = (await anchor.boundingBox())?.y ?? 0;
    await eventually('an older page', async () => (await numberedMessages(page, 'history'))[0] === 51);
    // What the reader was looking at stays put while the older page goes in above it.
    expect(Math.abs(((await anchor.boundingBox())?.y ?? 0) - before)).toBeLessThan(60);
    await eventually(
      'every message paged in',
      async () => {
        await log.evaluate((el) => {
          el.scrollTop = 0;
        });
        return (await messageRows(page).count()) >= 200;
      },
      30_000,
    );
    expect(await numberedMessages(page, 'history')).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    await expect(log.getByRole('button', { name: 'Load older messages' }).count()).resolves.toBe(0);
  });

  it('OUT-7 logging one computer out wipes its cache and does not disturb the other computer’s delivery', async () => {
    const eve = await registerHeadless(server, 'Eve');
    const finn = await registerHeadless(server, 'Finn');
    const chat = await finn.socket.request('chats.openDirect', { phoneNumber: eve.number });
    const first = await newPage();
    const second = await newPage();
    await linkWithHeadlessPhone(eve, first, server);
    await linkWithHeadlessPhone(eve, second, server);
    await sendAs(finn, chat.id, 'to both computers');
    for (const page of [first, second]) {
      await openChat(page, 'Finn');
      await waitForMessage(page, 'to both computers');
    }
    await eventually('the first computer cached its chats', async () =>
      (await indexedDbNames(first)).includes(CACHE_DB_NAME),
    );

    await first.getByRole('button', { name: 'Menu' }).click();
    await first.getByRole('menuitem', { name: 'Log out' }).click();
    await first
      .getByRole('alertdialog', { name: 'Log out?' })
      .getByRole('button', { name: 'Log out' })
      .click();
    await first.getByRole('img', { name: /QR code/ }).waitFor();
    await eventually(
      'the cache database is gone',
      async () => !(await indexedDbNames(first)).includes(CACHE_DB_NAME),
    );

    await sendAs(finn, chat.id, 'after the logout');
    await waitForMessage(second, 'after the logout');
    await sendFromComputer(second, 'still here');
    await receivedLive(finn, 'still here');
    expect(await chatList(second).isVisible()).toBe(true);
  });
});
