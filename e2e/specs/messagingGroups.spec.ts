import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../harness/browser';
import {
  chatRow,
  messageRows,
  openChat,
  receivedLive,
  sendFromComputer,
  waitForMessage,
} from '../harness/chat';
import { type HeadlessPhone, linkWithHeadlessPhone, registerHeadless } from '../harness/headlessPhone';
import { startServer, type TestServer } from '../harness/server';

const DESKTOP = { width: 1280, height: 800 };

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP });
  contexts.push(context);
  return context.newPage();
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('groups on the computer', () => {
  /** Three accounts, each a headless phone plus a computer: shared by the tests below. */
  let phones: HeadlessPhone[] = [];
  let computers: Page[] = [];

  it('MSG-4 a group of three accounts with two devices each: a message from one computer reaches the five other devices', async () => {
    phones = [
      await registerHeadless(server, 'Gia'),
      await registerHeadless(server, 'Hal'),
      await registerHeadless(server, 'Ivy'),
    ];
    computers = [await newPage(), await newPage(), await newPage()];
    for (const [i, phone] of phones.entries()) {
      const computer = computers[i];
      if (computer) await linkWithHeadlessPhone(phone, computer, server);
    }
    const [gia, hal, ivy] = phones;
    const [first, second, third] = computers;
    if (!gia || !hal || !ivy || !first || !second || !third) throw new Error('setup');

    await first.getByRole('button', { name: 'Menu' }).click();
    await first.getByRole('menuitem', { name: 'New group' }).click();
    const dialog = first.getByRole('dialog', { name: 'New group' });
    await dialog.getByRole('textbox', { name: 'Group name' }).fill('Trip');
    await dialog.getByRole('textbox', { name: 'Phone number' }).fill(hal.number);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByRole('button', { name: `Remove ${hal.number}` }).waitFor();
    // A number typed but not added yet counts too.
    await dialog.getByRole('textbox', { name: 'Phone number' }).fill(ivy.number);
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await first.getByRole('log', { name: 'Messages with Trip' }).waitFor();

    await sendFromComputer(first, 'Hello group');
    await Promise.all(phones.map((p) => receivedLive(p, 'Hello group')));
    for (const computer of [second, third]) {
      await openChat(computer, 'Trip');
      await waitForMessage(computer, 'Hello group');
      // Group messages from others carry the sender's name.
      expect(await messageRows(computer).filter({ hasText: 'Hello group' }).textContent()).toContain('Gia');
    }
    await waitForMessage(first, 'Hello group');
  });

  it('MSG-4 the group info panel: the admin renames, removes and adds; a member leaves after confirming', async () => {
    const [, hal, ivy] = phones;
    const [first, second, third] = computers;
    if (!hal || !ivy || !first || !second || !third) throw new Error('needs the group of the test above');

    await first.getByRole('button', { name: 'Group info' }).click();
    const info = first.getByRole('complementary', { name: 'Group info' });
    await info.getByText('3 members').first().waitFor();
    expect(await info.getByText('Admin', { exact: true }).count()).toBe(1);

    await info.getByRole('button', { name: 'Rename' }).click();
    await info.getByRole('textbox', { name: 'Group name' }).fill('Trip 2025');
    await info.getByRole('button', { name: 'Save' }).click();
    await chatRow(second, 'Trip 2025').waitFor();
    await second.getByRole('heading', { name: 'Trip 2025' }).waitFor();

    await info.getByRole('button', { name: 'Remove Ivy' }).click();
    await first
      .getByRole('alertdialog', { name: 'Remove Ivy?' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await ivy.socket.waitFor('chat.removed');
    // Ivy's computer drops the chat and closes it.
    await third.getByRole('log').waitFor({ state: 'detached' });
    expect(await chatRow(third, 'Trip').count()).toBe(0);
    await info.getByText('2 members').first().waitFor();

    await info.getByRole('button', { name: 'Add member' }).click();
    await info.getByRole('textbox', { name: 'Phone number' }).fill(ivy.number);
    await info.getByRole('button', { name: 'Add', exact: true }).click();
    await chatRow(third, 'Trip 2025').waitFor();
    await info.getByText('3 members').first().waitFor();

    // Not an admin: no admin controls, but Leave group.
    await second.getByRole('button', { name: 'Group info' }).click();
    const theirs = second.getByRole('complementary', { name: 'Group info' });
    await theirs.getByRole('button', { name: 'Leave group' }).waitFor();
    expect(await theirs.getByRole('button', { name: /^(Rename|Add member|Remove)/ }).count()).toBe(0);
    await theirs.getByRole('button', { name: 'Leave group' }).click();
    const confirm = second.getByRole('alertdialog', { name: 'Leave “Trip 2025”?' });
    await confirm.getByRole('button', { name: 'Leave group' }).click();
    await second.getByRole('log').waitFor({ state: 'detached' });
    expect(await chatRow(second, 'Trip 2025').count()).toBe(0);
    await hal.socket.waitFor('chat.removed');
    await info.getByText('2 members').first().waitFor();
  });

  it('MSG-5 a direct chat’s header shows "online", then "last seen today at …" once the other phone is gone', async () => {
    const jo = await registerHeadless(server, 'Jo');
    const kim = await registerHeadless(server, 'Kim');
    await jo.socket.request('chats.openDirect', { phoneNumber: kim.number });
    const computer = await newPage();
    await linkWithHeadlessPhone(kim, computer, server);
    await openChat(computer, 'Jo');
    const pane = computer.getByRole('main');
    await pane.getByText('online', { exact: true }).waitFor();

    jo.socket.close();
    await jo.socket.closed;
    // The header asks again when the window gets focus (and every 30 s). "Offline" is written a few
    // ms after the socket closes (in batches), so focus until it shows.
    const lastSeen = pane.getByText(/^last seen today at /);
    await expect
      .poll(async () => {
        await computer.evaluate(() => dispatchEvent(new Event('focus')));
        return lastSeen.isVisible();
      })
      .toBe(true);
  });
});
