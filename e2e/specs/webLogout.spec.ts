import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { APP_REQUEST_HEADER, APP_REQUEST_HEADER_VALUE } from '@latch/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../harness/browser';
import {
  type HeadlessPhone,
  linkWithHeadlessPhone,
  registerHeadless,
  waitFor,
} from '../harness/headlessPhone';
import { startServer, type TestServer } from '../harness/server';

/** Logging a computer out, seen from the computer: real Chromium; the phone speaks the protocol. */

const DESKTOP = { width: 1280, height: 800 };
let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const dirs: string[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP });
  contexts.push(context);
  return context.newPage();
}

/** What this browser still holds for the origin: IndexedDB databases, cookies, service workers, storage. */
async function leftovers(page: Page) {
  const inPage = await page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
    caches: (await caches.keys()).length,
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
  }));
  const cookies = (await page.context().cookies()).map((c) => c.name);
  return { ...inPage, cookies };
}

async function logOutFromMenu(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Menu' }).click();
  const items = page.getByRole('menu').getByRole('menuitem');
  expect(await items.last().textContent()).toContain('Log out');
  await items.last().click();
  await page.getByRole('alertdialog', { name: 'Log out?' }).getByRole('button', { name: 'Log out' }).click();
}

const activeComputers = async (phone: HeadlessPhone) =>
  (await phone.socket.request('devices.list', {})).devices.filter(
    (d) => d.kind === 'companion' && d.status === 'active',
  );

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('Log out from the computer’s menu', () => {
  it('OUT-3 Cancel changes nothing; Log out ends the session and leaves nothing in the browser', async () => {
    const phone = await registerHeadless(server);
    const page = await newPage();
    const deviceId = await linkWithHeadlessPhone(phone, page, server);
    const oldCookies = await page.context().cookies();

    // Cancel (focused first) and Esc change nothing.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Log out?' });
    expect(
      await dialog.getByRole('button', { name: 'Cancel' }).evaluate((b) => b === document.activeElement),
    ).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('region', { name: 'Chats' }).waitFor();
    expect((await activeComputers(phone)).map((d) => d.id)).toEqual([deviceId]);

    // The app shell (service worker and its cache) is there to be wiped.
    const shell = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      return {
        workers: (await navigator.serviceWorker.getRegistrations()).length,
        caches: (await caches.keys()).length,
      };
    });
    expect(shell).toEqual({ workers: 1, caches: 1 });

    await logOutFromMenu(page);
    await page.getByText('You were logged out').waitFor();
    await page.getByText('You logged out on this computer.').waitFor();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    expect(await leftovers(page)).toEqual({
      databases: [],
      serviceWorkers: 0,
      caches: 0,
      localStorage: 0,
      sessionStorage: 0,
      cookies: [],
    });
    expect(await activeComputers(phone)).toEqual([]);
    // The phone hears that the browser wiped itself (OUT-6).
    await waitFor(async () =>
      (await phone.socket.request('devices.list', {})).devices.some(
        (d) => d.id === deviceId && d.wipedAt !== null,
      ),
    );

    // The old cookie, replayed in a fresh browser, opens nothing: 401 with Clear-Site-Data, and the QR page.
    const replay = await newPage();
    await replay.context().addCookies(oldCookies);
    // As the app asks (SEC-3: only the app's own requests are answered with Clear-Site-Data).
    const res = await replay.request.get(`${server.url}/v1/session?client=web`, {
      headers: { [APP_REQUEST_HEADER]: APP_REQUEST_HEADER_VALUE },
    });
    expect(res.status()).toBe(401);
    expect(res.headers()['clear-site-data']).toBe('"cache", "cookies", "storage"');
    await replay.goto(`${server.url}/`);
    await replay.getByRole('img', { name: /QR code/ }).waitFor();
    phone.socket.close();
  });

  it('OUT-3 two tabs of one computer: logging out in one wipes and returns both', async () => {
    const phone = await registerHeadless(server);
    const first = await newPage();
    await linkWithHeadlessPhone(phone, first, server);
    const second = await first.context().newPage();
    await second.goto(`${server.url}/`);
    await second.getByRole('region', { name: 'Chats' }).waitFor();
    await logOutFromMenu(first);
    for (const tab of [first, second]) await tab.getByRole('img', { name: /QR code/ }).waitFor();
    await second.getByText('You were logged out').waitFor();
    expect((await leftovers(second)).databases).toEqual([]);
    phone.socket.close();
  });

  it('OUT-8 with the server unreachable the browser forgets everything at once, and the logout lands when it is back', async () => {
    const phone = await registerHeadless(server);
    const page = await newPage();
    const deviceId = await linkWithHeadlessPhone(phone, page, server);
    phone.socket.close();
    await server.kill();
    await logOutFromMenu(page);
    await page.getByText('You were logged out').waitFor({ timeout: 20_000 });
    expect((await leftovers(page)).databases).toEqual([]);
    await server.restart();
    phone.socket = await phone.device.connect();
    await waitFor(async () => (await activeComputers(phone)).length === 0, 30_000);
    const { devices } = await phone.socket.request('devices.list', {});
    expect(devices.find((d) => d.id === deviceId)?.logoutReason).toBe('self');
    phone.socket.close();
  });
});

describe('Log out from the phone', () => {
  it('OUT-4 OUT-5 three computers, one of them closed: all are logged out; the closed one wipes when it returns', async () => {
    const phone = await registerHeadless(server);
    const online = [await newPage(), await newPage()];
    for (const page of online) await linkWithHeadlessPhone(phone, page, server);
    // The third is a person's own browser profile, closed during the logout.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'latch-e2e-offline-'));
    dirs.push(dir);
    let offline = await launchBrowser({ userDataDir: dir });
    let page = offline.pages()[0] ?? (await offline.newPage());
    await linkWithHeadlessPhone(phone, page, server);
    await offline.close();

    const started = Date.now();
    expect(await phone.socket.request('devices.logoutAll', {})).toEqual({ count: 3 });
    for (const p of online) {
      await p.getByText('You logged out of this computer from your phone.').waitFor({ timeout: 10_000 });
      await p.getByRole('img', { name: /QR code/ }).waitFor();
    }
    console.info(`OUT-4 logout-all reached both open computers in ${Date.now() - started} ms`);
    expect(await activeComputers(phone)).toEqual([]);

    // The closed computer comes back later: QR page, the same notice, storage wiped.
    offline = await launchBrowser({ userDataDir: dir });
    page = offline.pages()[0] ?? (await offline.newPage());
    await page.goto(`${server.url}/`);
    await page.getByText('You logged out of this computer from your phone.').waitFor({ timeout: 15_000 });
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    expect((await leftovers(page)).databases).toEqual([]);
    expect((await leftovers(page)).cookies).toEqual([]);
    await offline.close();
    phone.socket.close();
  });

  it('OUT-7 logging out one computer while another sends: the other keeps working and nothing of its is lost', async () => {
    const phone = await registerHeadless(server);
    const friend = await registerHeadless(server, 'Bo Friend');
    const keeper = await newPage();
    const leaver = await newPage();
    await linkWithHeadlessPhone(phone, keeper, server);
    const leaverId = await linkWithHeadlessPhone(phone, leaver, server);
    const chat = await phone.socket.request('chats.openDirect', { phoneNumber: friend.number });
    await keeper.getByRole('region', { name: 'Chats' }).getByText('Bo Friend').click();
    const box = keeper.getByRole('textbox', { name: 'Type a message' });
    const sending = (async () => {
      for (let i = 1; i <= 10; i++) {
        await box.fill(`keep ${i}`);
        await box.press('Enter');
      }
    })();
    await phone.socket.request('devices.logout', { deviceId: leaverId });
    await sending;
    await leaver.getByRole('img', { name: /QR code/ }).waitFor();
    for (let i = 1; i <= 10; i++) {
      await friend.socket.waitFor(
        'message',
        (f) => f.message.chatId === chat.id && f.message.text === `keep ${i}`,
      );
    }
    const got = friend.socket.frames.filter(
      (f) => f.type === 'message' && f.message.text.startsWith('keep '),
    );
    expect(got).toHaveLength(10);
    phone.socket.close();
    friend.socket.close();
  });

  it('LNK-12 a new link shows "New device linked" on the account’s other computers, pointing to the phone', async () => {
    const phone = await registerHeadless(server);
    const first = await newPage();
    await linkWithHeadlessPhone(phone, first, server);
    const second = await newPage();
    await linkWithHeadlessPhone(phone, second, server);
    const alert = first.getByRole('status').filter({ hasText: 'New device linked: Chrome on Linux' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Settings → Linked devices');
    expect(await second.getByText('New device linked').count()).toBe(0);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });
    phone.socket.close();
  });
});
