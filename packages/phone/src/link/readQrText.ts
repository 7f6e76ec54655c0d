import { macKeyFrom } from '@latch/client';
import { decodeQrPayload } from '@latch/protocol';
import { otherServerText, qrProblemText } from './linkErrors';
import type { LinkSource } from './useLinkFlow';

/** Turns scanned text into a link request for this server, or the reason it cannot be one. */
export function readQrText(
  text: string,
  origin: string,
): { ok: true; source: LinkSource } | { ok: false; message: string } {
  const decoded = decodeQrPayload(text);
  if (!decoded.ok) return { ok: false, message: qrProblemText(decoded.problem) };
  const { payload } = decoded;
  if (payload.origin !== origin) return { ok: false, message: otherServerText(payload.origin) };
  return {
    ok: true,
    source: {
      kind: 'qr',
      ref: payload.ref,
      devicePublicKey: payload.devicePublicKey,
      macKey: macKeyFrom({ secret: payload.linkSecret }),
    },
  };
}
