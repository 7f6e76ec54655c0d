import { randomInt } from 'node:crypto';
import { approveLink, registerHeadlessPhone } from '@latch/client/node';
import { decodeQrPayload, fromBase64Url, type QrPayload } from '@latch/protocol';
import type { Page } from 'playwright-core';
import { decodeQrFromPage } from './qr';
import type { TestServer } from './server';

/**
 * A phone that speaks Latch's protocol without a browser, for tests whose subject is the computer:
 * the computer is the real web app in Chromium; the phone's side (scan, approve, log out) runs here.
 */
export type HeadlessPhone = Awaited<ReturnType<typeof registerHeadlessPhone>> & { number: string };

export async function registerHeadless(server: TestServer, name = 'Ada Lovelace'): Promise<HeadlessPhone> {
  const number = `+1555${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
  const phone = await registerHeadlessPhone(server.url, number, name, (n) => server.waitForSmsCode(n));
  return { ...phone, number };
}

/** Reads the QR the computer shows, from its pixels. */
export async function readQr(computer: Page): Promise<QrPayload> {
  const decoded = decodeQrPayload(await decodeQrFromPage(computer));
  if (!decoded.ok) throw new Error(`The computer's QR is not a Latch code (${decoded.problem})`);
  return decoded.payload;
}

/** Scans the computer's QR and approves it as the phone does: signature by the account key, MAC with the link secret. */
export async function approveQr(phone: HeadlessPhone, qr: QrPayload) {
  const preview = await phone.socket.request('link.preview', { ref: qr.ref });
  return approveLink(phone, preview.linkId, qr.devicePublicKey, fromBase64Url(qr.linkSecret)!);
}

/** Opens the QR page, scans and approves it, and waits for the computer's chat screen. */
export async function linkWithHeadlessPhone(
  phone: HeadlessPhone,
  computer: Page,
  server: TestServer,
  opts: { keepSignedIn?: boolean } = {},
): Promise<string> {
  await computer.goto(`${server.url}/`);
  if (opts.keepSignedIn === false) {
    const before = (await readQr(computer)).ref;
    await computer.getByRole('checkbox', { name: 'Keep me signed in' }).uncheck();
    await waitFor(async () => (await readQr(computer).catch(() => null))?.ref !== before);
  }
  const { deviceId } = await approveQr(phone, await readQr(computer));
  await computer.getByRole('region', { name: 'Chats' }).waitFor();
  return deviceId;
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
