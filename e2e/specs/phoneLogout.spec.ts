import type { Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { PHONE_VIEWPORT } from '../harness/browser';
import { linkComputer } from '../harness/link';
import { registerPhone } from '../harness/phone';
import { browserSuite } from '../harness/suite';

const suite = browserSuite();
const DESKTOP = { width: 1280, height: 800 };

const newPage = (viewport: { width: number; height: number }): Promise<Page> => suite.newPage(viewport);

/**
 * The computer leaves its chats at once, without a reload (OUT-4). Its own notice and wipe are the web
 * app's to prove; here it is enough that the phone's action reached it.
 */
async function expectLoggedOutByPhone(computer: Page): Promise<void> {
  await computer.getByRole('region', { name: 'Chats' }).waitFor({ state: 'detached', timeout: 10_000 });
}

describe('logging computers out from the phone', () => {
  it('OUT-4 Log out in a device’s details logs that computer out at once; it then shows as wiped (OUT-6)', async () => {
    const phone = await newPage(PHONE_VIEWPORT);
    await registerPhone(phone, suite.server, { phoneNumber: '+15551110001', name: 'Grace Hopper' });
    const computer = await newPage(DESKTOP);
    await linkComputer(phone, computer, suite.server);
    await phone.getByRole('button', { name: 'Dismiss' }).click();

    await phone.getByRole('button', { name: /Active now/ }).click();
    const details = phone.getByRole('dialog');
    await details.getByText('IP address').waitFor();
    await details.getByRole('button', { name: 'Log out' }).click();
    const confirm = phone.getByRole('alertdialog');
    await confirm.getByRole('button', { name: 'Log out' }).click();

    await expectLoggedOutByPhone(computer);
    const gone = phone.getByRole('region', { name: 'Recently logged out' });
    await gone
      .getByText(/Logged out at .+ · browser data wiped at \d{1,2}:\d\d/)
      .waitFor({ timeout: 15_000 });
  });

  it('OUT-7 Log out from all devices logs every computer out after the confirmation', async () => {
    const phone = await newPage(PHONE_VIEWPORT);
    await registerPhone(phone, suite.server, { phoneNumber: '+15551110002', name: 'Ada Lovelace' });
    const first = await newPage(DESKTOP);
    await linkComputer(phone, first, suite.server);
    await phone.getByRole('button', { name: 'Dismiss' }).click();
    const second = await newPage(DESKTOP);
    await linkComputer(phone, second, suite.server);
    await phone.getByRole('button', { name: 'Dismiss' }).click();

    await phone.getByRole('button', { name: 'Log out from all devices' }).click();
    const dialog = phone.getByRole('alertdialog', { name: 'Log out from all devices?' });
    await dialog.getByRole('button', { name: 'Cancel' }).waitFor();
    await dialog.getByRole('button', { name: 'Log out' }).click();
    await expectLoggedOutByPhone(first);
    await expectLoggedOutByPhone(second);
    await phone.getByText('No computers are linked.').waitFor();
  });

  it('LNK-12 the "New device linked" alarm (on a phone tab that did not approve) logs the new computer out in one tap', async () => {
    const phone = await newPage(PHONE_VIEWPORT);
    await registerPhone(phone, suite.server, { phoneNumber: '+15551110003', name: 'Alan Turing' });
    const otherTab = await phone.context().newPage();
    await otherTab.goto(`${suite.server.url}/phone/`);
    await otherTab.getByRole('tab', { name: 'Chats' }).waitFor();
    const computer = await newPage(DESKTOP);
    await linkComputer(phone, computer, suite.server);
    const alarm = otherTab.getByRole('region', { name: 'New device linked' });
    await alarm.getByRole('button', { name: 'Log out' }).click();
    await expectLoggedOutByPhone(computer);
    await otherTab
      .getByRole('status')
      .filter({ hasText: /^Logged out: / })
      .waitFor();
  });
});
