import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE_VIEWPORT } from '../harness/browser';
import { sendAs } from '../harness/chat';
import { registerHeadless } from '../harness/headlessPhone';
import { linkComputer } from '../harness/link';
import { registerPhone } from '../harness/phone';
import { browserSuite } from '../harness/suite';

const suite = browserSuite();

const newPage = (viewport = PHONE_VIEWPORT): Promise<Page> => suite.newPage(viewport);

async function openNewChat(phone: Page, number: string): Promise<void> {
  await phone.getByRole('tab', { name: 'Chats' }).click();
  await phone.getByRole('button', { name: 'New chat' }).click();
  const sheet = phone.getByRole('dialog', { name: 'New chat' });
  await sheet.getByRole('textbox', { name: 'Phone number' }).fill(number);
  await sheet.getByRole('textbox', { name: 'Phone number' }).press('Enter');
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Type a message' }).fill(text);
  await page.getByRole('textbox', { name: 'Type a message' }).press('Enter');
}

describe('chats on the phone', () => {
  it('MSG-7 starting a chat with a number that is not on Latch says so', async () => {
    const phone = await newPage();
    await registerPhone(phone, suite.server, { phoneNumber: '+15556660001', name: 'Grace Hopper' });
    await openNewChat(phone, '+1 555 666 0999');
    await phone.getByRole('alert').filter({ hasText: '+15556660999 is not on Latch yet.' }).waitFor();
  });

  it('MSG-1 messages arrive live both ways exactly once, and the account’s computer writes as “you”', async () => {
    const alice = await newPage();
    const bob = await newPage();
    await registerPhone(alice, suite.server, { phoneNumber: '+15556660002', name: 'Alice Example' });
    await registerPhone(bob, suite.server, { phoneNumber: '+15556660003', name: 'Bob Example' });
    const laptop = await newPage({ width: 1280, height: 800 });
    await linkComputer(alice, laptop, suite.server);
    await alice.getByRole('button', { name: 'Dismiss' }).click();
    await alice.getByRole('button', { name: 'Back' }).click();

    await openNewChat(alice, '+15556660003');
    await send(alice, 'Hello Bob');
    await bob.getByRole('button', { name: /Alice Example/ }).click();
    await bob.getByRole('log').getByText('Hello Bob').waitFor();
    await send(bob, 'Hi Alice');
    await alice.getByRole('log').getByText('Hi Alice').waitFor();

    await laptop
      .getByRole('button', { name: /Bob Example/ })
      .first()
      .click();
    await send(laptop, 'From my laptop');
    const fromLaptop = alice.getByRole('log').getByText('From my laptop');
    await fromLaptop.waitFor();
    expect(await fromLaptop.evaluate((el) => el.closest('.bubble')?.classList.contains('bubble--out'))).toBe(
      true,
    );
    expect(await alice.getByRole('log').getByText('Hello Bob').count()).toBe(1);
    expect(await bob.getByRole('log').getByText('From my laptop').count()).toBe(1);
  });

  it('MSG-3 ticks turn blue once the other phone has the chat open', async () => {
    const alice = await newPage();
    const bob = await newPage();
    await registerPhone(alice, suite.server, { phoneNumber: '+15556660004', name: 'Alice Example' });
    await registerPhone(bob, suite.server, { phoneNumber: '+15556660005', name: 'Bob Example' });
    await openNewChat(alice, '+15556660005');
    await send(alice, 'Are you there?');
    await bob.getByRole('button', { name: /Alice Example/ }).click();
    await bob.getByRole('log').getByText('Are you there?').waitFor();
    await alice.getByRole('log').getByText('Read', { exact: true }).waitFor({ timeout: 10_000 });
  });

  it('ENG-10 NET-2 the phone keeps its chats: an offline reload shows them from the cache, and more than 10 pages missed while closed all arrive', async () => {
    const phone = await newPage();
    const number = '+15556660006';
    await registerPhone(phone, suite.server, { phoneNumber: number, name: 'Alice Example' });
    const bob = await registerHeadless(suite.server, 'Bob Example');
    const chat = await bob.socket.request('chats.openDirect', { phoneNumber: number });
    await sendAs(bob, chat.id, 'hello from Bob');
    await phone.getByRole('button', { name: /Bob Example/ }).click();
    await phone.getByRole('log').getByText('hello from Bob').waitFor();
    await phone.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });

    await phone.context().setOffline(true);
    await phone.reload();
    await phone.getByRole('log').getByText('hello from Bob').waitFor();
    await phone.getByRole('button', { name: 'Back' }).click();
    await phone.getByRole('button', { name: /Bob Example/ }).waitFor();

    await phone.getByRole('button', { name: /Bob Example/ }).click();
    // While the phone is away with the chat open, more than the old 10 pages of 50 arrive.
    for (let i = 1; i <= 520; i++) await sendAs(bob, chat.id, `missed ${i}`);
    await phone.context().setOffline(false);
    const log = phone.getByRole('log');
    await log.getByText('missed 520', { exact: true }).waitFor({ timeout: 30_000 });
    // Every one of them, in order, once each, right after what the phone had (MSG-1, ENG-7).
    const texts = await log.locator('.bubble').allInnerTexts();
    const missed = texts.map((t) => /missed (\d+)/.exec(t)?.[1]).filter((n) => n !== undefined);
    expect(missed.map(Number)).toEqual(Array.from({ length: 520 }, (_, i) => i + 1));
    expect(texts.filter((t) => t.includes('hello from Bob'))).toHaveLength(1);
    bob.socket.close();
  });
});
