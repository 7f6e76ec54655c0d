import { writeFile } from 'node:fs/promises';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';

/** Screenshots the page's QR code image (accessible name contains "QR code") and decodes it. */
export async function decodeQrFromPage(page: Page): Promise<string> {
  const image = page.getByRole('img', { name: /QR code/ });
  await image.waitFor();
  const png = PNG.sync.read(await image.screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height, {
    inversionAttempts: 'attemptBoth',
  });
  if (!code) throw new Error('The QR code on the page could not be decoded');
  return code.data;
}

/** Smallest frame for the fake camera; the picture is centred on white (a QR quiet zone). */
const MIN_WIDTH = 640;
const MIN_HEIGHT = 480;
const BORDER = 32;

const even = (n: number) => n + (n % 2);

/**
 * Writes a PNG as a one-frame Y4M video (4:2:0, full-range BT.601) for Chromium's
 * `--use-file-for-fake-video-capture`, which loops it as the camera picture.
 */
export async function writeY4m(png: Buffer, path: string): Promise<void> {
  const image = PNG.sync.read(png);
  const width = even(Math.max(MIN_WIDTH, image.width + 2 * BORDER));
  const height = even(Math.max(MIN_HEIGHT, image.height + 2 * BORDER));
  const left = Math.floor((width - image.width) / 2);
  const top = Math.floor((height - image.height) / 2);
  const rgb = (x: number, y: number): [number, number, number] => {
    const ix = x - left;
    const iy = y - top;
    if (ix < 0 || iy < 0 || ix >= image.width || iy >= image.height) return [255, 255, 255];
    const i = (iy * image.width + ix) * 4;
    const a = image.data[i + 3]! / 255;
    const blend = (c: number) => Math.round(c * a + 255 * (1 - a));
    return [blend(image.data[i]!), blend(image.data[i + 1]!), blend(image.data[i + 2]!)];
  };
  const yPlane = Buffer.alloc(width * height);
  const uPlane = Buffer.alloc((width / 2) * (height / 2));
  const vPlane = Buffer.alloc((width / 2) * (height / 2));
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb(x, y);
      yPlane[y * width + x] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      let u = 0;
      let v = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const [r, g, b] = rgb(x + dx, y + dy);
        u += -0.168736 * r - 0.331264 * g + 0.5 * b + 128;
        v += 0.5 * r - 0.418688 * g - 0.081312 * b + 128;
      }
      const i = (y / 2) * (width / 2) + x / 2;
      uPlane[i] = clamp(u / 4);
      vPlane[i] = clamp(v / 4);
    }
  }
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\nFRAME\n`, 'ascii');
  await writeFile(path, Buffer.concat([header, yPlane, uPlane, vPlane]));
}

/** Chromium flags that make `getUserMedia` return `y4mPath` as the camera, without a permission prompt. */
export function fakeCameraArgs(y4mPath: string): string[] {
  return [
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${y4mPath}`,
  ];
}
