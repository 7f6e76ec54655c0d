import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchBrowser, PHONE_VIEWPORT } from '../harness/browser';
import { chatRow, openChat, sendAs, sendFromComputer, waitForMessage } from '../harness/chat';
import { type HeadlessPhone, linkWithHeadlessPhone, registerHeadless } from '../harness/headlessPhone';
import { startServer, type TestServer } from '../harness/server';

/**
 * Pictures of the messaging screens for a person to look at (light and dark, desktop and mobile).
 * Not part of `npm test`: `LATCH_SCREENSHOTS=<directory> npx vitest run --project screenshots`.
 */
const OUT = process.env.LATCH_SCREENSHOTS ?? 'screenshots';
const DESKTOP = { width: 1280, height: 800 };

describe('messaging screenshots', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let phones: HeadlessPhone[];

  /** One picture per theme and size. */
  async function shoot(name: string, sizes: Array<'desktop' | 'mobile'> = ['desktop', 'mobile']) {
    for (const size of sizes) {
      await page.setViewportSize(size === 'desktop' ? DESKTOP : PHONE_VIEWPORT);
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.waitForTimeout(150);
        await page.screenshot({ path: path.join(OUT, `${name}-${size}-${colorScheme}.png`) });
      }
    }
    await page.setViewportSize(DESKTOP);
    await page.emulateMedia({ colorScheme: 'light' });
  }

  beforeAll(async () => {
    await mkdir(OUT, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    phones = [
      await registerHeadless(server, 'Maya Lopez'),
      await registerHeadless(server, 'Noah Kim'),
      await registerHeadless(server, 'Olivia Chen'),
    ];
    const [maya, noah, olivia] = phones;
    if (!maya || !noah || !olivia) throw new Error('setup');
    const direct = await noah.socket.request('chats.openDirect', { phoneNumber: maya.number });
    for (let i = 1; i <= 120; i++) await sendAs(i % 3 === 0 ? maya : noah, direct.id, `Message number ${i}`);
    await olivia.socket.request('chats.openDirect', { phoneNumber: maya.number });
    const context = await browser.newContext({ viewport: DESKTOP });
    page = await context.newPage();
    await linkWithHeadlessPhone(maya, page, server);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('new group dialog', async () => {
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('menuitem', { name: 'New group' }).click();
    const dialog = page.getByRole('dialog', { name: 'New group' });
    await dialog.getByRole('textbox', { name: 'Group name' }).fill('Weekend hike');
    await dialog.getByRole('checkbox', { name: /Noah Kim/ }).check();
    const olivia = phones[2];
    await dialog.getByRole('textbox', { name: 'Phone number' }).fill(olivia?.number ?? '');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await shoot('group-dialog');
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('log', { name: 'Messages with Weekend hike' }).waitFor();
  });

  it('group info panel', async () => {
    await sendFromComputer(page, 'Who is bringing the map?');
    const [, noah] = phones;
    if (!noah) throw new Error('setup');
    const group = await noah.socket.waitFor('message', (f) => f.message.text === 'Who is bringing the map?');
    await sendAs(noah, group.message.chatId, 'I will. And snacks.');
    await waitForMessage(page, 'And snacks');
    await page.getByRole('button', { name: 'Group info' }).click();
    await page.getByRole('complementary', { name: 'Group info' }).waitFor();
    await shoot('group-info');
    await page.getByRole('button', { name: 'Close group info' }).click();
  });

  it('presence and paging', async () => {
    await openChat(page, 'Noah Kim');
    await page.getByRole('main').getByText('online', { exact: true }).waitFor();
    await shoot('presence-online', ['desktop']);
    await page.getByRole('log').evaluate((el) => {
      el.scrollTop = 0;
    });
    await page
      .getByRole('button', { name: 'Load older messages' })
      .or(page.getByText('Loading older'))
      .first()
      .waitFor();
    await shoot('paging', ['desktop']);
    await openChat(page, 'Olivia Chen');
    const [, , olivia] = phones;
    olivia?.socket.close();
    await olivia?.socket.closed;
    await page.evaluate(() => dispatchEvent(new Event('focus')));
    await page
      .getByRole('main')
      .getByText(/^last seen today at/)
      .waitFor();
    await shoot('presence-last-seen');
  });

  it('pending message in the chat list', async () => {
    await page.routeWebSocket(/\/v1\/ws/, () => undefined);
    await page.reload();
    await chatRow(page, 'Noah Kim').click();
    await sendFromComputer(page, 'Sent while offline');
    await page.getByRole('region', { name: 'Chats' }).getByRole('img', { name: 'Sending' }).waitFor();
    await shoot('pending', ['desktop']);
  });
});
