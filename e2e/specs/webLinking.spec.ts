import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { approveLink } from '@latch/client/node';
import { fromBase64Url, toBase64Url } from '@latch/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../harness/browser';
import {
  approveQr,
  type HeadlessPhone,
  linkWithHeadlessPhone,
  readQr,
  registerHeadless,
  waitFor,
} from '../harness/headlessPhone';
import { startServer, type TestServer } from '../harness/server';

/** The computer's side of linking, in real Chromium; the phone speaks the protocol (see headlessPhone.ts). */

const DESKTOP = { width: 1280, height: 800 };
const dirs: string[] = [];
const profile = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'latch-e2e-profile-'));
  dirs.push(dir);
  return dir;
};

/** A fresh persistent browser profile, as a person's own browser. */
async function openProfile(dir: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await launchBrowser({ userDataDir: dir });
  await context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize(DESKTOP);
  return { context, page };
}

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('a linked computer stays linked until it is logged out', () => {
  let server: TestServer;
  let phone: HeadlessPhone;
  beforeAll(async () => {
    server = await startServer();
    phone = await registerHeadless(server);
  });
  afterAll(async () => {
    phone?.socket.close();
    await server?.stop();
  });

  it('LNK-13 closing the tab, the whole browser, or restarting the server does not log out', async () => {
    const dir = await profile();
    let { context, page } = await openProfile(dir);
    await linkWithHeadlessPhone(phone, page, server);
    await expect(page.getByText('Ada Lovelace').first().isVisible()).resolves.toBe(true);

    // Close the tab, open a new one.
    await page.close();
    page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('region', { name: 'Chats' }).waitFor();
    expect(await page.getByRole('img', { name: /QR code/ }).count()).toBe(0);

    // Quit the browser and start it again with the same profile.
    await context.close();
    ({ context, page } = await openProfile(dir));
    await page.goto(`${server.url}/`);
    await page.getByRole('region', { name: 'Chats' }).waitFor();

    // Restart the server: the page reconnects by itself and a reload still lands in the chats.
    await server.restart();
    phone.socket = await phone.device.connect();
    await page.reload();
    await page.getByRole('region', { name: 'Chats' }).waitFor();
    expect(await page.getByRole('img', { name: /QR code/ }).count()).toBe(0);
    await context.close();
  });

  it('LNK-10 with "Keep me signed in" unticked, a new browser session lands on the QR page', async () => {
    const dir = await profile();
    let { context, page } = await openProfile(dir);
    await linkWithHeadlessPhone(phone, page, server, { keepSignedIn: false });
    const cookie = (await context.cookies()).find((c) => c.name === '__Host-latch-web');
    expect(cookie?.expires).toBe(-1); // a browser-session cookie
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    await context.close();
    ({ context, page } = await openProfile(dir));
    await page.goto(`${server.url}/`);
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    expect(await page.getByRole('region', { name: 'Chats' }).count()).toBe(0);
    await context.close();
  });
});

describe('what the browser refuses or never gets', () => {
  let server: TestServer;
  let browser: Browser;
  let phone: HeadlessPhone;
  const contexts: BrowserContext[] = [];
  const newPage = async () => {
    const c = await browser.newContext({ viewport: DESKTOP });
    contexts.push(c);
    return c.newPage();
  };
  beforeAll(async () => {
    // Short refs so rotation happens within the test (a controllable clock on the server's side).
    server = await startServer({
      env: { LINK_FIRST_REF_TTL_MS: '2500', LINK_REF_TTL_MS: '1200', LINK_MAX_REFS: '3' },
    });
    browser = await launchBrowser();
    phone = await registerHeadless(server);
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(async () => {
    phone?.socket.close();
    await browser?.close();
    await server?.stop();
  });

  it('LNK-1 the QR rotates, never stays stale, and after the last ref asks for a click', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    const seen = new Set<string>([(await readQr(page)).ref]);
    await waitFor(async () => {
      const qr = await readQr(page).catch(() => null);
      if (qr) seen.add(qr.ref);
      return seen.size >= 3;
    }, 15_000);
    const reload = page.getByRole('button', { name: 'Click to reload QR code' });
    await reload.waitFor({ timeout: 10_000 });
    // The expired code cannot be approved.
    const last = [...seen].at(-1)!;
    await expect(phone.socket.request('link.preview', { ref: last })).rejects.toMatchObject({
      code: 'ref_expired',
    });
    await reload.click();
    const fresh = await readQr(page);
    expect(seen.has(fresh.ref)).toBe(false);
  });

  it('LNK-2 a used ref cannot link a second time; the replay logs out what the first produced', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    const qr = await readQr(page);
    const preview = await phone.socket.request('link.preview', { ref: qr.ref });
    await approveLink(phone, preview.linkId, qr.devicePublicKey, fromBase64Url(qr.linkSecret)!);
    await page.getByRole('region', { name: 'Chats' }).waitFor();
    // Scanning the same code again is refused before anything is approved.
    await expect(phone.socket.request('link.preview', { ref: qr.ref })).rejects.toMatchObject({
      code: 'ref_used',
    });
    // Replaying the approval itself is refused, and the computer it produced is logged out.
    await expect(
      approveLink(phone, preview.linkId, qr.devicePublicKey, fromBase64Url(qr.linkSecret)!),
    ).rejects.toMatchObject({ code: 'ref_used' });
    await page.getByText('You were logged out').waitFor();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
  });

  it('LNK-4 a QR whose device key was swapped links nothing, and the computer stays on its QR page', async () => {
    const active = async () =>
      (await phone.socket.request('devices.list', {})).devices.filter(
        (d) => d.kind === 'companion' && d.status === 'active',
      ).length;
    const before = await active();
    const page = await newPage();
    await page.goto(`${server.url}/`);
    const qr = await readQr(page);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      format: 'der',
      type: 'spki',
    });
    const tampered = { ...qr, devicePublicKey: toBase64Url(new Uint8Array(other.subarray(-65))) };
    await expect(approveQr(phone, tampered)).rejects.toMatchObject({ code: 'signature_invalid' });
    await page.waitForTimeout(500);
    expect(await page.getByRole('region', { name: 'Chats' }).count()).toBe(0);
    expect(await active()).toBe(before);
  });

  it('AUTH-3 a copied cookie without the device key opens nothing', async () => {
    const page = await newPage();
    await linkWithHeadlessPhone(phone, page, server);
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => c.name)).toContain('__Host-latch-web');
    // Another browser gets the cookie but not the key (the key cannot leave the first browser).
    const thief = await newPage();
    await thief.context().addCookies(cookies);
    await thief.goto(`${server.url}/`);
    await thief.getByRole('img', { name: /QR code/ }).waitFor();
    expect(await thief.getByRole('region', { name: 'Chats' }).count()).toBe(0);
    // The real computer is unaffected.
    await page.reload();
    await page.getByRole('region', { name: 'Chats' }).waitFor();
  });
});

describe('an outdated browser is told to update', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('UA-1 an old Chrome sees "Update your browser" with the current version and why; a current one does not', async () => {
    const old = await browser.newContext({
      viewport: DESKTOP,
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.51 Safari/537.36',
    });
    const page = await old.newPage();
    await page.goto(`${server.url}/`);
    const banner = page.getByRole('status').filter({ hasText: 'Update your browser' });
    await banner.waitFor();
    const text = await banner.textContent();
    expect(text).toContain('this is Chrome 99');
    expect(text).toMatch(/The current version is \d+/);
    expect(text).toContain('security fixes');
    await old.close();

    const current = await browser.newContext({ viewport: DESKTOP });
    const fresh = await current.newPage();
    await fresh.goto(`${server.url}/`);
    await fresh.getByRole('img', { name: /QR code/ }).waitFor();
    expect(await fresh.getByText('Update your browser').count()).toBe(0);
    await current.close();
  });
});
