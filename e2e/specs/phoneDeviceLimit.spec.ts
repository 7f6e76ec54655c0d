import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchBrowser, PHONE_VIEWPORT } from '../harness/browser';
import { linkComputer } from '../harness/link';
import { registerPhone } from '../harness/phone';
import { decodeQrFromPage } from '../harness/qr';
import { startServer, type TestServer } from '../harness/server';

let server: TestServer;
let browser: Browser;
let tmp: string;
const contexts: BrowserContext[] = [];

async function newPage(viewport = PHONE_VIEWPORT): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  return context.newPage();
}

beforeAll(async () => {
  server = await startServer({ env: { MAX_COMPANIONS: '1' } });
  browser = await launchBrowser();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'latch-e2e-limit-'));
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the linked-computer cap on the phone', () => {
  it('LNK-6 over the cap the phone lists the computers to remove; logging one out lets the new one link', async () => {
    const phone = await newPage();
    await registerPhone(phone, server, { phoneNumber: '+15554440001', name: 'Grace Hopper' });
    const first = await newPage({ width: 1280, height: 800 });
    await linkComputer(phone, first, server);
    await phone.getByRole('button', { name: 'Dismiss' }).click();

    const second = await newPage({ width: 1280, height: 800 });
    await second.goto(`${server.url}/`);
    await decodeQrFromPage(second);
    const picture = path.join(tmp, 'qr.png');
    await writeFile(picture, await second.getByRole('img', { name: /QR code/ }).screenshot());
    await phone.getByRole('button', { name: 'Link a device' }).click();
    await phone.getByLabel('Scan from image').setInputFiles(picture);
    await phone
      .getByRole('dialog', { name: 'Link this device?' })
      .getByRole('button', { name: 'Link device' })
      .click();

    const limit = phone.getByRole('dialog', { name: 'Too many devices linked' });
    await limit.getByRole('button', { name: /^Log out / }).click();
    await first.getByRole('region', { name: 'Chats' }).waitFor({ state: 'detached', timeout: 10_000 });
    await phone
      .getByRole('dialog', { name: 'Link this device?' })
      .getByRole('button', { name: 'Link device' })
      .click();
    await second.getByRole('region', { name: 'Chats' }).waitFor();
  });
});
