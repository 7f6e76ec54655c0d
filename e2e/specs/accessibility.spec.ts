import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AxeViolation, axeBothSchemes } from '../harness/axe';
import { openChat, sendAs } from '../harness/chat';
import { linkWithHeadlessPhone, registerHeadless } from '../harness/headlessPhone';
import { openLinkedDevices } from '../harness/link';
import { decodeQrFromPage } from '../harness/qr';
import { browserSuite } from '../harness/suite';

const suite = browserSuite();
const DESKTOP = { width: 1280, height: 800 };

/**
 * A11Y-1: axe-core (WCAG 2.2 AA and best practices) finds nothing on any screen of either app, in
 * light and in dark. Failures list every screen at once, with the selectors of the nodes.
 */
describe('accessibility', () => {
  it('A11Y-1 the computer’s screens: QR page, link by number, chat, menu, logout dialog, group info', async () => {
    const found: Record<string, AxeViolation[]> = {};
    const page = await suite.newPage(DESKTOP);
    await page.goto(`${suite.server.url}/`);
    await decodeQrFromPage(page);
    Object.assign(found, await axeBothSchemes(page, 'QR page'));

    const ann = await registerHeadless(suite.server, 'Ann Axe');
    await page.getByRole('button', { name: 'Link with phone number' }).click();
    await page.getByRole('textbox', { name: 'Phone number' }).waitFor();
    Object.assign(found, await axeBothSchemes(page, 'link by number'));
    await page.getByRole('textbox', { name: 'Phone number' }).fill(ann.number);
    await page.getByRole('textbox', { name: 'Phone number' }).press('Enter');
    await page.getByLabel('Linking code').waitFor();
    Object.assign(found, await axeBothSchemes(page, 'linking code'));

    const bob = await registerHeadless(suite.server, 'Bob Axe');
    const direct = await bob.socket.request('chats.openDirect', { phoneNumber: ann.number });
    for (let i = 1; i <= 5; i++) await sendAs(i % 2 ? bob : ann, direct.id, `Hello number ${i}`);
    const group = await ann.socket.request('chats.createGroup', {
      name: 'Axe club',
      phoneNumbers: [bob.number],
    });
    await sendAs(bob, group.id, 'Welcome to the club');
    const computer = await suite.newPage(DESKTOP);
    await linkWithHeadlessPhone(ann, computer, suite.server);
    await openChat(computer, 'Bob Axe');
    Object.assign(found, await axeBothSchemes(computer, 'chat screen'));

    await computer.getByRole('button', { name: 'Menu' }).click();
    await computer.getByRole('menu').waitFor();
    Object.assign(found, await axeBothSchemes(computer, 'menu'));
    await computer.getByRole('menuitem', { name: 'Log out' }).click();
    await computer.getByRole('alertdialog', { name: 'Log out?' }).waitFor();
    Object.assign(found, await axeBothSchemes(computer, 'logout dialog'));
    await computer.getByRole('button', { name: 'Cancel' }).click();

    await openChat(computer, 'Axe club');
    await computer.getByRole('button', { name: 'Group info' }).click();
    await computer.getByRole('complementary', { name: 'Group info' }).waitFor();
    Object.assign(found, await axeBothSchemes(computer, 'group info'));
    expect(found).toEqual({});
    ann.socket.close();
    bob.socket.close();
  });

  it('A11Y-1 the phone’s screens: registration, chats, conversation, settings, linked devices, two-step, approval', async () => {
    const found: Record<string, AxeViolation[]> = {};
    const phone = await suite.newPage();
    const number = '+15556660001';
    await phone.goto(`${suite.server.url}/phone/`);
    await phone.getByRole('textbox', { name: 'Phone number' }).waitFor();
    Object.assign(found, await axeBothSchemes(phone, 'registration: number'));
    await phone.getByRole('textbox', { name: 'Phone number' }).fill(number);
    const mark = suite.server.output().length;
    await phone.getByRole('textbox', { name: 'Phone number' }).press('Enter');
    const codeBox = phone.getByRole('textbox', { name: 'Verification code' });
    await codeBox.waitFor();
    Object.assign(found, await axeBothSchemes(phone, 'registration: code'));
    await codeBox.fill(await suite.server.waitForSmsCode(number, { after: mark }));
    await codeBox.press('Enter');
    const nameBox = phone.getByRole('textbox', { name: 'Your name' });
    await nameBox.waitFor();
    Object.assign(found, await axeBothSchemes(phone, 'registration: name'));
    await nameBox.fill('Pat Axe');
    await nameBox.press('Enter');
    await phone.getByRole('tab', { name: 'Chats' }).waitFor();

    const quinn = await registerHeadless(suite.server, 'Quinn Axe');
    const chat = await quinn.socket.request('chats.openDirect', { phoneNumber: number });
    await sendAs(quinn, chat.id, 'Are you there?');
    const row = phone.getByRole('button', { name: /Quinn Axe/ });
    await row.waitFor();
    Object.assign(found, await axeBothSchemes(phone, 'chats'));
    await row.click();
    await phone.getByText('Are you there?').waitFor();
    Object.assign(found, await axeBothSchemes(phone, 'conversation'));
    await phone.getByRole('button', { name: 'Back' }).click();

    await phone.getByRole('tab', { name: 'Settings' }).click();
    await phone.getByRole('button', { name: 'Linked devices' }).waitFor();
    Object.assign(found, await axeBothSchemes(phone, 'settings'));
    await phone.getByRole('button', { name: 'Two-step verification' }).click();
    await phone.getByRole('button', { name: 'Turn on' }).waitFor();
    Object.assign(found, await axeBothSchemes(phone, 'two-step'));
    await phone.getByRole('button', { name: 'Back' }).click();

    await openLinkedDevices(phone);
    Object.assign(found, await axeBothSchemes(phone, 'linked devices'));
    const computer = await suite.newPage(DESKTOP);
    await computer.goto(`${suite.server.url}/`);
    await decodeQrFromPage(computer);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'latch-axe-'));
    try {
      const picture = path.join(dir, 'qr.png');
      await writeFile(picture, await computer.getByRole('img', { name: /QR code/ }).screenshot());
      await phone.getByRole('button', { name: 'Link a device' }).click();
      await phone.getByLabel('Scan from image').setInputFiles(picture);
      await phone
        .getByRole('dialog', { name: 'Link this device?' })
        .getByRole('button', { name: 'Link device' })
        .waitFor();
      Object.assign(found, await axeBothSchemes(phone, 'approval sheet'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(found).toEqual({});
    quinn.socket.close();
  });
});
