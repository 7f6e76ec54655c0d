import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, it } from 'vitest';
import { PHONE_VIEWPORT } from '../harness/browser';
import { openChat, sendAs } from '../harness/chat';
import { linkWithHeadlessPhone, registerHeadless } from '../harness/headlessPhone';
import { linkComputer } from '../harness/link';
import { registerPhone } from '../harness/phone';
import { decodeQrFromPage } from '../harness/qr';
import { browserSuite } from '../harness/suite';
import { startTcpProxy, type TcpProxy } from '../harness/tcpProxy';

/**
 * Pictures of the screens issue #17 changed, light and dark, desktop and phone sizes, for a person to
 * look at. Not part of `npm test`: `LATCH_SCREENSHOTS=<dir> npx vitest run --project screenshots`.
 */
const OUT = process.env.LATCH_SCREENSHOTS ?? 'screenshots';
const DESKTOP = { width: 1280, height: 800 };
const suite = browserSuite();
const proxies: TcpProxy[] = [];
afterAll(async () => {
  for (const p of proxies) await p.close();
});

async function shoot(page: Page, name: string, sizes: Array<'desktop' | 'phone'>) {
  await mkdir(OUT, { recursive: true });
  const original = page.viewportSize();
  for (const size of sizes) {
    await page.setViewportSize(size === 'desktop' ? DESKTOP : PHONE_VIEWPORT);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.waitForTimeout(200);
      await page.screenshot({ path: path.join(OUT, `${name}-${size}-${colorScheme}.png`) });
    }
  }
  if (original) await page.setViewportSize(original);
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('polish screenshots', () => {
  it('computer', async () => {
    const page = await suite.newPage(DESKTOP);
    await page.goto(`${suite.server.url}/`);
    await decodeQrFromPage(page);
    await shoot(page, 'web-qr', ['desktop', 'phone']);
    const ann = await registerHeadless(suite.server, 'Ann Lee');
    await page.getByRole('button', { name: 'Link with phone number' }).click();
    await page.getByRole('textbox', { name: 'Phone number' }).fill(ann.number);
    await page.getByRole('textbox', { name: 'Phone number' }).press('Enter');
    await page.getByLabel('Linking code').waitFor();
    await shoot(page, 'web-link-code', ['desktop', 'phone']);

    const proxy = await startTcpProxy([suite.server.port]);
    proxies.push(proxy);
    const server = { ...suite.server, url: proxy.url };
    const bob = await registerHeadless(server, 'Bob Stone');
    const chat = await bob.socket.request('chats.openDirect', { phoneNumber: ann.number });
    for (let i = 1; i <= 6; i++) await sendAs(i % 2 ? bob : ann, chat.id, `Message ${i}: lunch at noon?`);
    const computer = await suite.newPage(DESKTOP);
    await linkWithHeadlessPhone(ann, computer, server);
    await openChat(computer, 'Bob Stone');
    await computer.getByRole('main').getByText('online', { exact: true }).waitFor();
    await shoot(computer, 'web-chat', ['desktop', 'phone']);
    proxy.blackhole();
    await computer.context().setOffline(true);
    await computer.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
    await shoot(computer, 'web-offline', ['desktop', 'phone']);

    const broken = await suite.browser.newContext({ viewport: DESKTOP, serviceWorkers: 'block' });
    const failing = await broken.newPage();
    await failing.route(/\/assets\/QrLinkPage-[\w-]+\.js$/, (r) => r.fulfill({ status: 404, body: '' }));
    await failing.goto(`${suite.server.url}/`);
    await failing.getByRole('button', { name: 'Reload' }).waitFor();
    await shoot(failing, 'web-error', ['desktop', 'phone']);
    await broken.close();
  });

  it('phone', async () => {
    const phone = await suite.newPage();
    const number = await registerPhone(phone, suite.server, {
      phoneNumber: '+15558880001',
      name: 'Maya Ortiz',
    });
    const noah = await registerHeadless(suite.server, 'Noah Kim');
    const chat = await noah.socket.request('chats.openDirect', { phoneNumber: number });
    await sendAs(noah, chat.id, 'Are we still on for tonight?');
    const other = await phone.context().newPage();
    await other.goto(`${suite.server.url}/phone/`);
    await other.getByRole('button', { name: /Noah Kim/ }).waitFor();

    const first = await suite.newPage(DESKTOP);
    await linkComputer(phone, first, suite.server);
    await phone.getByRole('status').filter({ hasText: 'Linked:' }).waitFor();
    await shoot(phone, 'phone-linked-confirmation', ['phone']);
    // The pictures of the first tab sent this one to the background, where animation frames (which
    // Playwright's waits poll by) stop.
    await other.bringToFront();
    await other.getByRole('region', { name: 'New device linked' }).waitFor();
    await shoot(other, 'phone-new-device-alarm', ['phone']);

    await phone.bringToFront();
    const second = await suite.newPage(DESKTOP);
    await linkComputer(phone, second, suite.server);
    await phone.getByRole('button', { name: 'Log out from all devices' }).click();
    await phone.getByRole('alertdialog').getByRole('button', { name: 'Log out' }).click();
    await phone.getByText('No computers are linked.').waitFor();
    const third = await suite.newPage(DESKTOP);
    await linkComputer(phone, third, suite.server);
    await phone.getByRole('button', { name: 'Dismiss' }).first().click();
    await shoot(phone, 'phone-linked-devices', ['phone']);
    await phone.getByRole('button', { name: /Active now/ }).click();
    await phone.getByRole('textbox', { name: 'Device name' }).fill('Work laptop');
    await phone.getByRole('button', { name: 'Save name' }).click();
    await phone.getByRole('dialog', { name: 'Work laptop' }).waitFor();
    await shoot(phone, 'phone-device-details', ['phone']);
    await phone.keyboard.press('Escape');

    await phone.getByRole('button', { name: 'Back' }).click();
    await phone.getByRole('button', { name: /Security notifications/ }).click();
    await phone
      .getByText(/was logged out/)
      .first()
      .waitFor();
    await shoot(phone, 'phone-security-log', ['phone']);

    await phone.goto(`${suite.server.url}/phone/chats/${chat.id}`);
    await phone.getByText('Are we still on for tonight?').waitFor();
    await phone.context().setOffline(true);
    await phone.getByRole('status').filter({ hasText: 'Offline' }).waitFor({ timeout: 10_000 });
    await shoot(phone, 'phone-offline-conversation', ['phone']);
    await phone.context().setOffline(false);
  });
});
