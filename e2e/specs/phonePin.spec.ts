import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchBrowser, PHONE_VIEWPORT } from '../harness/browser';
import { openLinkedDevices } from '../harness/link';
import { registerPhone } from '../harness/phone';
import { decodeQrFromPage } from '../harness/qr';
import { startServer, type TestServer } from '../harness/server';

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const PIN = '482913';

async function newPage(viewport = PHONE_VIEWPORT): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  return context.newPage();
}

/** Settings → Two-step verification → Turn on, PIN twice, no recovery email. */
async function turnOnPin(phone: Page): Promise<void> {
  await phone.getByRole('tab', { name: 'Settings' }).click();
  await phone.getByRole('button', { name: 'Two-step verification' }).click();
  await phone.getByRole('button', { name: 'Turn on' }).click();
  const sheet = phone.getByRole('dialog', { name: 'Two-step verification' });
  await sheet.getByRole('textbox', { name: 'New PIN' }).fill('123456');
  await sheet.getByRole('textbox', { name: 'New PIN' }).press('Enter');
  await sheet.getByText('too easy to guess').waitFor();
  await sheet.getByRole('textbox', { name: 'New PIN' }).fill(PIN);
  await sheet.getByRole('textbox', { name: 'New PIN' }).press('Enter');
  await sheet.getByRole('textbox', { name: 'Confirm PIN' }).fill(PIN);
  await sheet.getByRole('textbox', { name: 'Confirm PIN' }).press('Enter');
  await sheet.getByRole('button', { name: 'Turn on without email' }).click();
  await sheet.waitFor({ state: 'detached' });
  await phone.getByText('On', { exact: true }).waitFor();
  await phone.getByRole('button', { name: 'Back' }).click();
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

describe('two-step verification on the phone', () => {
  it('PIN-4 with a PIN, approving a computer and logging it out both ask for it', async () => {
    const phone = await newPage();
    await registerPhone(phone, server, { phoneNumber: '+15553330001', name: 'Grace Hopper' });
    await turnOnPin(phone);
    await openLinkedDevices(phone);

    const computer = await newPage({ width: 1280, height: 800 });
    await computer.goto(`${server.url}/`);
    await decodeQrFromPage(computer);
    await computer.getByRole('button', { name: 'Link with phone number' }).click();
    await computer.getByRole('textbox', { name: 'Phone number' }).fill('+15553330001');
    await computer.getByRole('textbox', { name: 'Phone number' }).press('Enter');
    const code = (await computer.getByLabel('Linking code').textContent())?.trim() ?? '';
    await phone.getByRole('textbox', { name: 'Linking code' }).fill(code);
    await phone.getByRole('button', { name: 'Next' }).click();

    const sheet = phone.getByRole('dialog', { name: 'Link this device?' });
    await sheet.getByRole('textbox', { name: 'PIN' }).fill('000000');
    await sheet.getByRole('button', { name: 'Link device' }).click();
    await sheet.getByRole('alert').filter({ hasText: 'Wrong PIN' }).waitFor();
    await sheet.getByRole('textbox', { name: 'PIN' }).fill(PIN);
    await sheet.getByRole('button', { name: 'Link device' }).click();
    await computer.getByRole('region', { name: 'Chats' }).waitFor();

    await phone.getByRole('button', { name: 'Dismiss' }).click();
    await phone.getByRole('button', { name: /Active now/ }).click();
    await phone.getByRole('dialog').getByRole('button', { name: 'Log out' }).click();
    await phone.getByRole('alertdialog').getByRole('button', { name: 'Log out' }).click();
    const pin = phone.getByRole('dialog', { name: 'Enter your PIN' });
    await pin.getByRole('textbox', { name: 'PIN' }).fill(PIN);
    await pin.getByRole('button', { name: 'Continue' }).click();
    await computer.getByRole('region', { name: 'Chats' }).waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('PIN-5 registering the number on a new phone needs the PIN; the old phone is then logged out', async () => {
    const first = await newPage();
    await registerPhone(first, server, { phoneNumber: '+15553330002', name: 'Ada Lovelace' });
    await turnOnPin(first);

    const second = await newPage();
    await second.goto(`${server.url}/phone/`);
    await second.getByRole('textbox', { name: 'Phone number' }).fill('+15553330002');
    const mark = server.output().length;
    await second.getByRole('textbox', { name: 'Phone number' }).press('Enter');
    const codeBox = second.getByRole('textbox', { name: 'Verification code' });
    await codeBox.fill(await server.waitForSmsCode('+15553330002', { after: mark }));
    await codeBox.press('Enter');
    const pinBox = second.getByRole('textbox', { name: 'PIN' });
    await pinBox.fill('000000');
    await pinBox.press('Enter');
    await second.getByRole('alert').filter({ hasText: 'Wrong PIN' }).waitFor();
    await pinBox.fill(PIN);
    await pinBox.press('Enter');
    await second.getByRole('tab', { name: 'Chats' }).waitFor();

    await first
      .getByRole('status')
      .filter({ hasText: 'This number was registered on another phone.' })
      .waitFor();
  });
});
