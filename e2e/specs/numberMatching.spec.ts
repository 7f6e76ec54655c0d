import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE_VIEWPORT } from '../harness/browser';
import { openLinkedDevices } from '../harness/link';
import { registerPhone } from '../harness/phone';
import { decodeQrFromPage } from '../harness/qr';
import { browserSuite } from '../harness/suite';

/**
 * LNK-16 in the browsers. Both are on loopback, so the server trusts X-Forwarded-For (as behind a
 * proxy) and each browser context sends its own address: the computer's is on another network.
 */
const suite = browserSuite({ env: { TRUST_PROXY: 'true' } });
const COMPUTER_IP = '203.0.113.7';
const PHONE_IP = '198.51.100.20';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'latch-e2e-match-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function pageFrom(ip: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await suite.browser.newContext({ viewport, extraHTTPHeaders: { 'x-forwarded-for': ip } });
  return context.newPage();
}

/** A signed-in phone and a computer showing its QR on another network; the phone has scanned it. */
async function scannedFromElsewhere(phoneNumber: string) {
  const phone = await pageFrom(PHONE_IP, PHONE_VIEWPORT);
  await registerPhone(phone, suite.server, { phoneNumber, name: 'Grace Hopper' });
  await openLinkedDevices(phone);
  const computer = await pageFrom(COMPUTER_IP, { width: 1280, height: 800 });
  await computer.goto(`${suite.server.url}/`);
  await phone.getByRole('button', { name: 'Link a device' }).click();
  await scanPicture(phone, computer);
  return { phone, computer };
}

/** Hands the phone's open scanner a picture of the QR the computer shows now. */
async function scanPicture(phone: Page, computer: Page): Promise<void> {
  await decodeQrFromPage(computer);
  const picture = path.join(tmp, `qr-${Date.now()}.png`);
  await writeFile(picture, await computer.getByRole('img', { name: /QR code/ }).screenshot());
  await phone.getByLabel('Scan from image').setInputFiles(picture);
}

async function numberOnComputer(computer: Page): Promise<string> {
  await computer.getByText('Enter this number on your phone').waitFor();
  return (await computer.getByLabel('Number to pick on your phone').textContent()) ?? '';
}

describe('number matching (LNK-16)', () => {
  it('LNK-16 a computer on another network shows a number; the phone links only after it is picked', async () => {
    const { phone, computer } = await scannedFromElsewhere('+15550016001');
    const sheet = phone.getByRole('dialog', { name: 'Link this device?' });
    await sheet.getByText('Different network').waitFor();
    const shown = await numberOnComputer(computer);
    expect(shown).toMatch(/^\d{2}$/);

    const choices = sheet.getByRole('group', { name: 'Which number does the computer show?' });
    expect(await choices.getByRole('radio').count()).toBe(3);
    const linkButton = sheet.getByRole('button', { name: 'Link device' });
    expect(await linkButton.isDisabled()).toBe(true);
    await choices.getByRole('radio', { name: shown, exact: true }).check();
    expect(await linkButton.isEnabled()).toBe(true);
    await linkButton.click();
    await sheet.waitFor({ state: 'detached' });
    await computer.getByRole('region', { name: 'Chats' }).waitFor();
  });

  it('LNK-16 a wrong pick links nothing: the phone says so and the computer shows a fresh QR and why', async () => {
    const { phone, computer } = await scannedFromElsewhere('+15550016002');
    const sheet = phone.getByRole('dialog', { name: 'Link this device?' });
    const shown = await numberOnComputer(computer);
    const radios = sheet.getByRole('radio');
    await radios.first().waitFor();
    const labels = await radios.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    const wrong = labels.find((n) => n !== shown);
    if (!wrong) throw new Error('no decoy offered');
    await sheet.getByRole('radio', { name: wrong, exact: true }).check();
    await sheet.getByRole('button', { name: 'Link device' }).click();
    const refused = phone.getByRole('alert').filter({ hasText: 'That was not the number on the computer' });
    await refused.waitFor();
    expect(await phone.getByRole('dialog', { name: 'Link this device?' }).count()).toBe(0);

    await computer.getByRole('alert').filter({ hasText: 'The number didn’t match' }).waitFor();
    // The fresh QR starts over with a new number, and the right pick links.
    await refused.getByRole('button', { name: 'Scan again' }).click();
    await scanPicture(phone, computer);
    const again = await numberOnComputer(computer);
    await phone.getByRole('radio', { name: again, exact: true }).check();
    await phone.getByRole('button', { name: 'Link device' }).click();
    await computer.getByRole('region', { name: 'Chats' }).waitFor();
  });
});
