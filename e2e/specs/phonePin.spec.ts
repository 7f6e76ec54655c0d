import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE_VIEWPORT } from '../harness/browser';
import { linkComputer, openLinkedDevices } from '../harness/link';
import { registerPhone } from '../harness/phone';
import { decodeQrFromPage } from '../harness/qr';
import { browserSuite } from '../harness/suite';

const suite = browserSuite();
const PIN = '482913';

const newPage = (viewport = PHONE_VIEWPORT): Promise<Page> => suite.newPage(viewport);

/** Settings → Two-step verification → Turn on, PIN twice, with or without a recovery email. */
async function turnOnPin(phone: Page, recoveryEmail?: string): Promise<void> {
  await phone.getByRole('tab', { name: 'Settings' }).click();
  await phone.getByRole('button', { name: 'Two-step verification' }).click();
  await phone.getByRole('button', { name: 'Turn on' }).click();
  const sheet = phone.getByRole('dialog', { name: 'Two-step verification' });
  const pinBox = sheet.getByRole('textbox', { name: 'PIN', exact: true });
  await pinBox.fill('123456');
  await pinBox.press('Enter');
  await sheet.getByText('too easy to guess').waitFor();
  await pinBox.fill(PIN);
  await pinBox.press('Enter');
  await sheet.getByRole('textbox', { name: 'Confirm PIN' }).fill(PIN);
  await sheet.getByRole('textbox', { name: 'Confirm PIN' }).press('Enter');
  if (recoveryEmail) {
    await sheet.getByRole('textbox', { name: 'Recovery email' }).fill(recoveryEmail);
    await sheet.getByRole('button', { name: 'Turn on', exact: true }).click();
  } else {
    await sheet.getByRole('button', { name: 'Turn on without email' }).click();
  }
  await sheet.waitFor({ state: 'detached' });
  await phone.getByText('On', { exact: true }).waitFor();
  await phone.getByRole('button', { name: 'Back' }).click();
}

describe('two-step verification on the phone', () => {
  it('PIN-4 with a PIN, approving a computer and logging it out both ask for it', async () => {
    const phone = await newPage();
    await registerPhone(phone, suite.server, { phoneNumber: '+15553330001', name: 'Grace Hopper' });
    await turnOnPin(phone);
    await openLinkedDevices(phone);

    const computer = await newPage({ width: 1280, height: 800 });
    await computer.goto(`${suite.server.url}/`);
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
    await registerPhone(first, suite.server, { phoneNumber: '+15553330002', name: 'Ada Lovelace' });
    await turnOnPin(first);

    const second = await newPage();
    await second.goto(`${suite.server.url}/phone/`);
    await second.getByRole('textbox', { name: 'Phone number' }).fill('+15553330002');
    const mark = suite.server.output().length;
    await second.getByRole('textbox', { name: 'Phone number' }).press('Enter');
    const codeBox = second.getByRole('textbox', { name: 'Verification code' });
    await codeBox.fill(await suite.server.waitForSmsCode('+15553330002', { after: mark }));
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

  it('PIN-3 PIN-4 "Log out from all devices" needs the PIN; wrong PINs lock with a clear wait and log nothing out', async () => {
    const phone = await newPage();
    await registerPhone(phone, suite.server, { phoneNumber: '+15553330003', name: 'Alan Turing' });
    const computer = await newPage({ width: 1280, height: 800 });
    await linkComputer(phone, computer, suite.server);
    await phone.getByRole('button', { name: 'Dismiss' }).click();
    await phone.getByRole('button', { name: 'Back' }).click();
    await turnOnPin(phone);
    await openLinkedDevices(phone);

    const pinDialog = phone.getByRole('dialog', { name: 'Enter your PIN' });
    const tryPin = async (pin: string) => {
      if (!(await pinDialog.isVisible())) {
        await phone.getByRole('button', { name: 'Log out from all devices' }).click();
        await phone.getByRole('alertdialog').getByRole('button', { name: 'Log out' }).click();
      }
      await pinDialog.getByRole('textbox', { name: 'PIN' }).fill(pin);
      await pinDialog.getByRole('button', { name: 'Continue' }).click();
    };
    for (let i = 0; i < 5; i++) {
      await tryPin('000001');
      await pinDialog
        .getByRole('alert')
        .filter({ hasText: /Wrong PIN|Too many/ })
        .waitFor();
    }
    // Even the right PIN is refused while locked, and the phone says how long to wait.
    await tryPin(PIN);
    await pinDialog
      .getByRole('alert')
      .filter({ hasText: /Too many wrong PINs\. Try again in \d+ seconds/ })
      .waitFor();
    // Nothing was logged out.
    expect(await computer.getByRole('region', { name: 'Chats' }).count()).toBe(1);
  });

  it('PIN-7 after changing the PIN the phone offers to log out every computer: "Keep them" keeps them, "Log out all" logs them out', async () => {
    const phone = await newPage();
    await registerPhone(phone, suite.server, { phoneNumber: '+15553330004', name: 'Edsger Dijkstra' });
    const computer = await newPage({ width: 1280, height: 800 });
    await linkComputer(phone, computer, suite.server);
    await phone.getByRole('button', { name: 'Dismiss' }).click();
    await phone.getByRole('button', { name: 'Back' }).click();
    await turnOnPin(phone);

    const changePin = async (from: string, to: string) => {
      await phone.getByRole('button', { name: 'Two-step verification' }).click();
      await phone.getByRole('button', { name: 'Change PIN' }).click();
      const sheet = phone.getByRole('dialog', { name: 'Change PIN' });
      await sheet.getByRole('textbox', { name: 'Current PIN' }).fill(from);
      await sheet.getByRole('textbox', { name: 'New PIN', exact: true }).fill(to);
      await sheet.getByRole('textbox', { name: 'Confirm new PIN' }).fill(to);
      await sheet.getByRole('button', { name: 'Change PIN' }).click();
      const offer = phone.getByRole('alertdialog', { name: 'PIN changed' });
      await offer.getByText('Also log out all linked computers?').waitFor();
      return offer;
    };

    const first = await changePin(PIN, '570284');
    await first.getByRole('button', { name: 'Keep them' }).click();
    await first.waitFor({ state: 'detached' });
    expect(await computer.getByRole('region', { name: 'Chats' }).count()).toBe(1);

    await phone.getByRole('button', { name: 'Back' }).click();
    const second = await changePin('570284', '639151');
    // The new PIN was just typed: logging out does not ask for it again.
    await second.getByRole('button', { name: 'Log out all' }).click();
    await second.waitFor({ state: 'detached' });
    await computer.getByRole('region', { name: 'Chats' }).waitFor({ state: 'detached', timeout: 10_000 });
    await decodeQrFromPage(computer);
  });

  it('PIN-7 after a PIN reset by email the signed-in phone offers to log out every computer', async () => {
    const number = '+15553330005';
    const phone = await newPage();
    await registerPhone(phone, suite.server, { phoneNumber: number, name: 'Barbara Liskov' });
    const computer = await newPage({ width: 1280, height: 800 });
    await linkComputer(phone, computer, suite.server);
    await phone.getByRole('button', { name: 'Dismiss' }).click();
    await phone.getByRole('button', { name: 'Back' }).click();
    await turnOnPin(phone, 'barbara@example.com');

    const mark = suite.server.output().length;
    const asked = await fetch(`${suite.server.url}/v1/pin/reset/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: suite.server.url },
      body: JSON.stringify({ phoneNumber: number }),
    });
    expect(asked.status).toBe(202);
    let token: string | undefined;
    for (let i = 0; i < 100 && !token; i++) {
      token = /#pin-reset=([A-Za-z0-9_-]+)/.exec(suite.server.output().slice(mark))?.[1];
      if (!token) await phone.waitForTimeout(50);
    }
    if (!token) throw new Error('no reset email was printed');
    await phone.goto(`${suite.server.url}/phone/#pin-reset=${token}`);
    await phone.getByText('Two-step verification is off.', { exact: false }).waitFor();
    await phone.getByRole('button', { name: 'Continue' }).click();
    const offer = phone.getByRole('alertdialog', { name: 'PIN reset' });
    await offer.getByText('Also log out all linked computers?').waitFor();
    await offer.getByRole('button', { name: 'Log out all' }).click();
    await offer.waitFor({ state: 'detached' });
    await computer.getByRole('region', { name: 'Chats' }).waitFor({ state: 'detached', timeout: 10_000 });
  });
});
