/** Largest side of the image handed to the decoder: enough for a QR filling part of the frame. */
const MAX_SIDE = 960;

/**
 * Draws a video frame or a picture onto an offscreen canvas, scaled down, and reads its pixels.
 * Returns null while the source has no picture yet.
 */
export function grabPixels(
  source: CanvasImageSource,
  width: number,
  height: number,
  canvas: HTMLCanvasElement,
): ImageData | null {
  if (width === 0 || height === 0) return null;
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(source, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}
