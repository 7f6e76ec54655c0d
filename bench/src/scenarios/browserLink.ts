import fs from 'node:fs';
import path from 'node:path';
import { decodeQrPayload, fromBase64Url, type QrPayload } from '@latch/protocol';
import jsQR from 'jsqr';
import { chromium, type Locator } from 'playwright-core';
import { PNG } from 'pngjs';
import { type Approver, approveFromPhone } from '../linkFlow';
import type { Measurement } from '../report';
import { summarize } from '../stats';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const STEP_TIMEOUT_MS = 20_000;

export function webDistIndex(appsDir: string): string {
  return path.join(appsDir, 'web', 'dist', 'index.html');
}

/** The browser measurement's frame, without values (skipped or failed: the notes say which). */
export function browserSkipped(runs: number): Measurement {
  return {
    scenario: 'link',
    measurement: 'browser: QR page first paint → chat screen',
    params: { runs },
    values: {},
    targets: [],
    notes: [],
  };
}

/**
 * The browser's view of linking: headless Chromium opens the QR page, the bench reads the QR from the
 * page's image like a phone camera would, the phone approves, and the page must reach the chat screen.
 * Times come from the page's own clock (navigation start = 0).
 */
export async function measureBrowserLink(
  url: string,
  appsDir: string,
  phone: Approver,
  runs: number,
): Promise<Measurement> {
  const base = browserSkipped(runs);
  if (!fs.existsSync(webDistIndex(appsDir))) {
    return { ...base, notes: [`skipped: ${webDistIndex(appsDir)} is missing (run npm run build)`] };
  }
  if (!fs.existsSync(CHROMIUM)) return { ...base, notes: [`skipped: no ${CHROMIUM}`] };
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const firstPaint: number[] = [];
  const qrShown: number[] = [];
  const paintToChats: number[] = [];
  const approveToChats: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(STEP_TIMEOUT_MS);
        await page.goto(`${url}/`);
        const qr = page.getByRole('img', { name: /QR code/ });
        await qr.waitFor();
        const shownAt = await page.evaluate(() => performance.now());
        const paint = await page.evaluate(
          () =>
            performance.getEntriesByType('paint').find((e) => e.name === 'first-paint')?.startTime ?? null,
        );
        const payload = await readQr(qr);
        const { approval, sentAt } = await approveFromPhone(
          phone,
          payload.ref,
          payload.devicePublicKey,
          fromBase64Url(payload.linkSecret) ?? new Uint8Array(),
        );
        await approval;
        await page.getByRole('region', { name: 'Chats' }).waitFor();
        const chatsSeenBench = performance.now();
        const chatsAt = await page.evaluate(() => performance.now());
        if (paint !== null) {
          firstPaint.push(paint);
          paintToChats.push(chatsAt - paint);
        }
        qrShown.push(shownAt);
        approveToChats.push(chatsSeenBench - sentAt);
        await phone.socket.request('devices.logoutAll', {});
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return {
    ...base,
    values: {
      firstPaintMs: summarize(firstPaint).p50,
      qrVisibleMs: summarize(qrShown).p50,
      firstPaintToChatsMs: summarize(paintToChats).p50,
      approveToChatsMs: summarize(approveToChats).p50,
    },
    notes: [
      'medians; first paint → chats includes the bench reading the QR and the phone approving (no human delay)',
    ],
  };
}

/** Decodes the QR image: from its PNG data URL when it has one, else from a screenshot of the element. */
async function readQr(qr: Locator): Promise<QrPayload> {
  const src = await qr.getAttribute('src');
  const png =
    src?.startsWith('data:image/png;base64,') === true
      ? Buffer.from(src.slice('data:image/png;base64,'.length), 'base64')
      : await qr.screenshot();
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!code) throw new Error('The QR image could not be decoded');
  const decoded = decodeQrPayload(code.data);
  if (!decoded.ok) throw new Error(`The QR does not hold a Latch link (${decoded.problem})`);
  return decoded.payload;
}
