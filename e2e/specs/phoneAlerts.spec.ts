import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sendAs } from '../harness/chat';
import { registerHeadless } from '../harness/headlessPhone';
import { linkComputer, openLinkedDevices } from '../harness/link';
import { registerPhone } from '../harness/phone';
import { browserSuite } from '../harness/suite';

const suite = browserSuite();
const DESKTOP = { width: 1280, height: 800 };

/** True when the element drawn at the centre of `target` is `target` or inside it (nothing covers it). */
async function uncovered(page: Page, target: Locator): Promise<boolean> {
  const box = await target.boundingBox();
  if (!box) return false;
  const handle = await target.elementHandle();
  return page.evaluate(
    ({ x, y, el }) => {
      const top = document.elementFromPoint(x, y);
      return top !== null && el !== null && (top === el || el.contains(top));
    },
    { x: box.x + box.width / 2, y: box.y + box.height / 2, el: handle },
  );
}

describe('"device linked" alerts on the phone', () => {
  it('LNK-12 an alert sits above the chats without covering them, alarms only the tab that did not approve, and goes when the device does', async () => {
    const approver = await suite.newPage();
    const number = await registerPhone(approver, suite.server, {
      phoneNumber: '+15557770001',
      name: 'Ida Alert',
    });
    const bob = await registerHeadless(suite.server, 'Bob Rows');
    const chat = await bob.socket.request('chats.openDirect', { phoneNumber: number });
    await sendAs(bob, chat.id, 'first row');
    // A second tab of the same phone app (same key and session): it did not approve anything.
    const other = await approver.context().newPage();
    await other.goto(`${suite.server.url}/phone/`);
    const firstRow = other.getByRole('button', { name: /Bob Rows/ });
    await firstRow.waitFor();

    const computer = await suite.newPage(DESKTOP);
    await linkComputer(approver, computer, suite.server);

    // The tab that approved: a calm confirmation, no "Not you?".
    await approver.getByRole('status').filter({ hasText: 'Linked: Chrome on Linux' }).waitFor();
    expect(await approver.getByText('New device linked').count()).toBe(0);

    // The other tab: the alarm, in the page's flow above the first chat row, which stays uncovered.
    const alarm = other.getByRole('region', { name: 'New device linked' });
    await alarm.getByText('New device linked: Chrome on Linux').waitFor();
    await alarm.getByRole('button', { name: 'Log out' }).waitFor();
    expect(await uncovered(other, firstRow)).toBe(true);
    const alarmBox = await alarm.boundingBox();
    const rowBox = await firstRow.boundingBox();
    expect(alarmBox && rowBox && alarmBox.y + alarmBox.height <= rowBox.y).toBe(true);
    // It stays on the chats, not on every screen.
    await other.getByRole('tab', { name: 'Settings' }).click();
    expect(await other.getByText('New device linked').count()).toBe(0);
    await other.getByRole('tab', { name: 'Chats' }).click();
    await alarm.waitFor();

    // "Log out from all devices" on the approving tab: the device is gone, and so is the alarm.
    await approver.getByRole('button', { name: 'Log out from all devices' }).click();
    await approver.getByRole('alertdialog').getByRole('button', { name: 'Log out' }).click();
    await computer.getByRole('region', { name: 'Chats' }).waitFor({ state: 'detached', timeout: 10_000 });
    await alarm.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await other.getByRole('button', { name: 'Log out', exact: true }).count()).toBe(0);
    bob.socket.close();
  });

  it('NAV-1 the phone’s screens are URLs: a reload reopens the chat, and Back walks back through the screens', async () => {
    const phone = await suite.newPage();
    const number = await registerPhone(phone, suite.server, { phoneNumber: '+15557770002', name: 'Jo Nav' });
    const kim = await registerHeadless(suite.server, 'Kim Nav');
    const chat = await kim.socket.request('chats.openDirect', { phoneNumber: number });
    await sendAs(kim, chat.id, 'see you at noon');

    await phone.getByRole('button', { name: /Kim Nav/ }).click();
    await phone.getByText('see you at noon').waitFor();
    expect(new URL(phone.url()).pathname).toBe(`/phone/chats/${chat.id}`);
    await phone.reload();
    await phone.getByText('see you at noon').waitFor();
    await phone.getByRole('heading', { name: 'Kim Nav' }).waitFor();

    await phone.goBack();
    await phone.getByRole('tab', { name: 'Chats', selected: true }).waitFor();
    expect(new URL(phone.url()).pathname).toBe('/phone/');

    await openLinkedDevices(phone);
    expect(new URL(phone.url()).pathname).toBe('/phone/settings/linked-devices');
    await phone.reload();
    await phone.getByRole('heading', { name: 'Linked devices' }).waitFor();
    // The on-screen arrow and the browser's Back both leave the sub-screen.
    await phone.getByRole('button', { name: 'Back' }).click();
    await phone.getByRole('tab', { name: 'Settings', selected: true }).waitFor();
    await phone.getByRole('button', { name: 'Two-step verification' }).click();
    await phone.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await phone.goBack();
    await phone.getByRole('tab', { name: 'Settings', selected: true }).waitFor();
    kim.socket.close();
  });
});
