import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { decodeQrFromPage } from './qr';
import type { TestServer } from './server';

/** Settings → Linked devices on a signed-in phone page. */
export async function openLinkedDevices(phone: Page): Promise<void> {
  await phone.getByRole('tab', { name: 'Settings' }).click();
  await phone.getByRole('button', { name: 'Linked devices' }).click();
  await phone.getByRole('heading', { name: 'Linked devices' }).waitFor();
}

/** Taps "Link device" on the phone's approval sheet and waits for the sheet to go. */
export async function approveOnPhone(phone: Page): Promise<void> {
  const sheet = phone.getByRole('dialog', { name: 'Link this device?' });
  await sheet.waitFor();
  await sheet.getByRole('button', { name: 'Link device' }).click();
  await sheet.waitFor({ state: 'detached' });
}

export interface LinkComputerOptions {
  /** Untick "Keep me signed in" on the computer first (a shared computer). Default true. */
  keepSignedIn?: boolean;
}

/**
 * Links `computer` to the account signed in on `phone`: opens the web app's QR page, hands a picture of
 * the QR to the phone's "Scan from image", approves, and waits for the computer's chats.
 */
export async function linkComputer(
  phone: Page,
  computer: Page,
  server: TestServer,
  opts: LinkComputerOptions = {},
): Promise<void> {
  await computer.goto(`${server.url}/`);
  const before = await decodeQrFromPage(computer);
  if (opts.keepSignedIn === false) {
    await computer.getByRole('checkbox', { name: 'Keep me signed in' }).uncheck();
    // The computer starts over with the new choice: wait for the QR that carries it.
    await waitForNewQr(computer, before);
  }
  const picture = await computer.getByRole('img', { name: /QR code/ }).screenshot();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'latch-e2e-link-'));
  try {
    const file = path.join(dir, 'qr.png');
    await writeFile(file, picture);
    if (!(await phone.getByRole('heading', { name: 'Linked devices' }).isVisible()))
      await openLinkedDevices(phone);
    await phone.getByRole('button', { name: 'Link a device' }).click();
    await phone.getByLabel('Scan from image').setInputFiles(file);
    await approveOnPhone(phone);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await computer.getByRole('region', { name: 'Chats' }).waitFor();
}

async function waitForNewQr(computer: Page, previous: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await decodeQrFromPage(computer).catch(() => previous)) !== previous) return;
    await computer.waitForTimeout(200);
  }
  throw new Error('The computer did not show a new QR code after "Keep me signed in" changed');
}
