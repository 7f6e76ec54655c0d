import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchBrowser, PHONE_VIEWPORT } from '../harness/browser';
import { openLinkedDevices } from '../harness/link';
import { registerPhone } from '../harness/phone';
import { decodeQrFromPage } from '../harness/qr';
import { startServer, type TestServer } from '../harness/server';

/**
 * Pictures of number matching (LNK-16) for a person to look at: the computer's number, the phone's
 * choices, and the notice after a wrong pick, light and dark.
 * Not part of `npm test`: `LATCH_SCREENSHOTS=<directory> npx vitest run --project screenshots`.
 */
const OUT = process.env.LATCH_SCREENSHOTS ?? 'screenshots';
const DESKTOP = { width: 1280, height: 800 };

describe('number matching screenshots', () => {
  let server: TestServer;
  let browser: Browser;
  let tmp: string;

  async function shoot(page: Page, name: string) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.waitForTimeout(150);
      await page.screenshot({ path: path.join(OUT, `${name}-${colorScheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  const pageFrom = async (ip: string, viewport: { width: number; height: number }) =>
    (await browser.newContext({ viewport, extraHTTPHeaders: { 'x-forwarded-for': ip } })).newPage();

  beforeAll(async () => {
    await mkdir(OUT, { recursive: true });
    tmp = await mkdtemp(path.join(os.tmpdir(), 'latch-shots-'));
    server = await startServer({ env: { TRUST_PROXY: 'true' } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('number matching: computer and phone', async () => {
    const phone = await pageFrom('198.51.100.20', PHONE_VIEWPORT);
    await registerPhone(phone, server, { phoneNumber: '+15550017001', name: 'Grace Hopper' });
    await openLinkedDevices(phone);
    const computer = await pageFrom('203.0.113.7', DESKTOP);
    await computer.goto(`${server.url}/`);
    await decodeQrFromPage(computer);
    const picture = path.join(tmp, 'qr.png');
    await writeFile(picture, await computer.getByRole('img', { name: /QR code/ }).screenshot());
    await phone.getByRole('button', { name: 'Link a device' }).click();
    await phone.getByLabel('Scan from image').setInputFiles(picture);
    await computer.getByText('Enter this number on your phone').waitFor();
    const shown = (await computer.getByLabel('Number to pick on your phone').textContent()) ?? '';
    await shoot(computer, 'match-computer');
    await shoot(phone, 'match-phone');
    const radios = await phone
      .getByRole('radio')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    await phone.getByRole('radio', { name: shown, exact: true }).check();
    await shoot(phone, 'match-phone-picked');
    await phone.getByRole('radio', { name: radios.find((n) => n !== shown) ?? '', exact: true }).check();
    await phone.getByRole('button', { name: 'Link device' }).click();
    await phone.getByText('That was not the number on the computer', { exact: false }).waitFor();
    await computer.getByText('The number didn’t match').waitFor();
    await decodeQrFromPage(computer);
    await shoot(computer, 'match-computer-mismatch');
    await shoot(phone, 'match-phone-mismatch');
  });
});
