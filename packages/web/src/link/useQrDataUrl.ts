import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 2, width: 264 } as const;

/**
 * Draws `text` as a QR code (PNG data URL). Returns null until the drawing for exactly this text
 * is ready, so a previous ref's code is never shown in place of the current one.
 */
export function useQrDataUrl(text: string | null): string | null {
  const [drawn, setDrawn] = useState<{ text: string; url: string } | null>(null);
  useEffect(() => {
    if (text === null) return;
    let cancelled = false;
    QRCode.toDataURL(text, QR_OPTIONS).then(
      (url) => {
        if (!cancelled) setDrawn({ text, url });
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
