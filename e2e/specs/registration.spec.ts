import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE_VIEWPORT } from '../harness/browser';
import { registerPhone } from '../harness/phone';
import { browserSuite } from '../harness/suite';

const suite = browserSuite();

const newPhone = (): Promise<Page> => suite.newPage(PHONE_VIEWPORT);

/** The signed-in home screen, with the account's name under Settings. */
async function expectSignedIn(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByText(name, { exact: true }).waitFor();
  expect(await page.getByRole('textbox', { name: 'Phone number' }).count()).toBe(0);
}

describe('registration on the phone app', () => {
  it('REG-6 registers with the SMS code and stays signed in across reloads and server restarts', async () => {
    const page = await newPhone();
    await registerPhone(page, suite.server, { phoneNumber: '+1 555 123 4567', name: 'Grace Hopper' });
    await expectSignedIn(page, 'Grace Hopper');

    await page.reload();
    await expectSignedIn(page, 'Grace Hopper');

    await suite.server.restart();
    await page.reload();
    await expectSignedIn(page, 'Grace Hopper');
    // The socket is live again: the RPC behind Linked devices answers.
    await page.getByRole('button', { name: 'Linked devices' }).click();
    await page.getByText('No computers are linked.').waitFor();
  });

  it('REG-2 a wrong code shows the error and registers nothing', async () => {
    const page = await newPhone();
    const number = '+15552223333';
    await page.goto(`${suite.server.url}/phone/`);
    await page.getByRole('textbox', { name: 'Phone number' }).fill(number);
    const mark = suite.server.output().length;
    await page.getByRole('textbox', { name: 'Phone number' }).press('Enter');
    const code = await suite.server.waitForSmsCode(number, { after: mark });
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');

    const codeBox = page.getByRole('textbox', { name: 'Verification code' });
    await codeBox.fill(wrong);
    const refused = page.waitForResponse((r) => r.url().endsWith('/v1/register/verify'));
    await codeBox.press('Enter');
    expect((await refused).status()).toBe(400);
    await page.getByRole('alert').filter({ hasText: 'That code is not right' }).waitFor();

    // No session was created, and the right code then makes the account as new: the wrong one did nothing.
    const status = await page.evaluate(async () => (await fetch('/v1/session?client=phone')).status);
    expect(status).toBe(401);
    await codeBox.fill(code);
    const verified = page.waitForResponse((r) => r.url().endsWith('/v1/register/verify'));
    await codeBox.press('Enter');
    const body: unknown = await (await verified).json();
    expect(body).toMatchObject({ existing: false, account: { name: '' } });
    await page.getByRole('textbox', { name: 'Your name' }).waitFor();
  });

  it('REG-5 registering the number on another phone logs the first one out with a notice', async () => {
    const first = await newPhone();
    await registerPhone(first, suite.server, { phoneNumber: '+15557654321', name: 'Ada Lovelace' });

    const second = await newPhone();
    await registerPhone(second, suite.server, { phoneNumber: '+15557654321', name: 'Ada Lovelace' });
    await expectSignedIn(second, 'Ada Lovelace');

    await first
      .getByRole('status')
      .filter({ hasText: 'This number was registered on another phone.' })
      .waitFor({ timeout: 10_000 });
    await first.getByRole('textbox', { name: 'Phone number' }).waitFor();
    // Its key and data are gone, so a reload does not sign it back in.
    expect(await first.evaluate(async () => (await indexedDB.databases()).length)).toBe(0);
    await first.reload();
    await first.getByRole('textbox', { name: 'Phone number' }).waitFor();
    expect(await first.getByRole('tab', { name: 'Chats' }).count()).toBe(0);
  });
});
