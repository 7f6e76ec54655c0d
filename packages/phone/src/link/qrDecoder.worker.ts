import jsQR from 'jsqr';
import { type DecodeResponse, parseDecodeRequest } from './qrMessages';

/** Decodes QR codes off the main thread so the camera preview never stutters. */
self.addEventListener('message', (event: MessageEvent<unknown>) => {
  const request = parseDecodeRequest(event.data);
  if (!request) return;
  const { id, width, height, data, thorough } = request;
  const code = jsQR(data, width, height, { inversionAttempts: thorough ? 'attemptBoth' : 'dontInvert' });
  const response: DecodeResponse = { id, text: code?.data ?? null };
  self.postMessage(response);
});
