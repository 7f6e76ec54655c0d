import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PHONE_VIEWPORT } from '../harness/browser';
import { approveOnPhone as approve, openLinkedDevices } from '../harness/link';
import { registerPhone } from '../harness/phone';
import { decodeQrFromPage, fakeCameraArgs, writeY4m } from '../harness/qr';
import { startServer, type TestServer } from '../harness/server';

let server: TestServer;
let browser: Browser;
let tmp: string;
const contexts: BrowserContext[] = [];

async function newPage(viewport = PHONE_VIEWPORT, from: Browser = browser): Promise<Page> {
  const context = await from.newContext({ viewport });
  contexts.push(context);
  return context.newPage();
}

/** A computer on the QR page; returns the page and the QR's text. */
async function computerShowingQr(): Promise<{ computer: Page; qr: string }> {
  const computer = await newPage({ width: 1280, height: 800 });
  await computer.goto(`${server.url}/`);
  return { computer, qr: await decodeQrFromPage(computer) };
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'latch-e2e-qr-'));
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('linking a computer from the phone', () => {
  it('LNK-12 a QR picked with "Scan from image" links the computer, which the phone then lists and confirms calmly', async () => {
    const phone = await newPage();
    await registerPhone(phone, server, { phoneNumber: '+15550001111', name: 'Grace Hopper' });
    await openLinkedDevices(phone);

    const { computer, qr } = await computerShowingQr();
    const picture = path.join(tmp, 'qr.png');
    await QRCode.toFile(picture, qr, { margin: 4, width: 480 });
    await phone.getByRole('button', { name: 'Link a device' }).click();
    await phone.getByLabel('Scan from image').setInputFiles(picture);
    const sheet = phone.getByRole('dialog', { name: 'Link this device?' });
    await sheet.getByText('Same network as this phone').waitFor();
    await sheet.getByText(/Code shown \d+ s ago/).waitFor();
    await approve(phone);

    await computer.getByRole('region', { name: 'Chats' }).waitFor();
    // The person who just approved it gets a calm confirmation, not "Not you? Log it out".
    await phone
      .getByRole('status')
      .filter({ hasText: /^Linked: Chrome on Linux/ })
      .waitFor();
    await phone.getByText('Active now').waitFor();
    expect(await phone.getByText(/New device linked/).count()).toBe(0);
  });

  it('LNK-3 the phone refuses a QR for another server and says which', async () => {
    const phone = await newPage();
    await registerPhone(phone, server, { phoneNumber: '+15550002222', name: 'Alan Turing' });
    await openLinkedDevices(phone);
    const { qr } = await computerShowingQr();
    const elsewhere = qr.replace(encodeURIComponent(server.url), encodeURIComponent('https://latch.example'));
    const picture = path.join(tmp, 'other.png');
    await QRCode.toFile(picture, elsewhere, { margin: 4, width: 480 });
    await phone.getByRole('button', { name: 'Link a device' }).click();
    await phone.getByLabel('Scan from image').setInputFiles(picture);
    await phone
      .getByRole('alert')
      .filter({ hasText: 'This code is for another Latch server (https://latch.example).' })
      .waitFor();
  });

  it('LNK-11 a computer asking by phone number opens the code prompt on the phone, and the code links it', async () => {
    const phone = await newPage();
    const number = await registerPhone(phone, server, { phoneNumber: '+15550003333', name: 'Ada Lovelace' });
    const computer = await newPage({ width: 1280, height: 800 });
    await computer.goto(`${server.url}/`);
    await computer.getByRole('button', { name: 'Link with phone number' }).click();
    await computer.getByRole('textbox', { name: 'Phone number' }).fill(number);
    await computer.getByRole('textbox', { name: 'Phone number' }).press('Enter');
    const code = (await computer.getByLabel('Linking code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    await phone
      .getByRole('status')
      .filter({ hasText: 'A computer wants to link with your number' })
      .waitFor();
    await phone.getByRole('textbox', { name: 'Linking code' }).fill(code.replace('-', '').toLowerCase());
    await phone.getByRole('button', { name: 'Next' }).click();
    await approve(phone);
    await computer.getByRole('region', { name: 'Chats' }).waitFor();
  });

  it('LNK-7 the camera scanner decodes the QR off the main thread; the signed, MACed approval links the computer', async () => {
    // Chromium reads the fake camera file when the camera opens, so it can be written after launch.
    const y4m = path.join(tmp, 'camera.y4m');
    const cameraBrowser = await launchBrowser({ args: fakeCameraArgs(y4m) });
    try {
      const phone = await newPage(PHONE_VIEWPORT, cameraBrowser);
      await registerPhone(phone, server, { phoneNumber: '+15550004444', name: 'Katherine Johnson' });
      await openLinkedDevices(phone);
      const { computer, qr } = await computerShowingQr();
      await writeY4m(await QRCode.toBuffer(qr, { margin: 4, width: 400 }), y4m);

      await phone.getByRole('button', { name: 'Link a device' }).click();
      await approve(phone);
      await computer.getByRole('region', { name: 'Chats' }).waitFor();
    } finally {
      await cameraBrowser.close();
    }
  });
});
