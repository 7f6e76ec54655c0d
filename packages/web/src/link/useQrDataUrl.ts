import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** Drawn as SVG: sharp on every screen density, and cheaper than painting a large PNG. */
const QR_OPTIONS = { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 264 } as const;

/**
 * Draws `text` as a QR code (an SVG data URL). Returns null until the drawing for exactly this text
 * is ready, so a previous ref's code is never shown in place of the current one.
 */
export function useQrDataUrl(text: string | null): string | null {
  const [drawn, setDrawn] = useState<{ text: string; url: string } | null>(null);
  useEffect(() => {
    if (text === null) return;
    let cancelled = false;
    QRCode.toString(text, QR_OPTIONS).then(
      (svg) => {
        if (!cancelled)
          setDrawn({ text, url: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
      },
      () => {
        if (!cancelled) setDrawn(null);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [text]);
  return drawn !== null && drawn.text === text ? drawn.url : null;
}
