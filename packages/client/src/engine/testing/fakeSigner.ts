import { toBase64Url } from '@latch/protocol';
import type { DeviceSigner } from '../../deviceKey';

/**
 * A stand-in for a device key in in-memory tests: a deterministic 64-byte "signature" over the
 * message and the key, which {@link FakeLatchServer} checks. It resolves at once (no WebCrypto
 * thread), so fake timers alone drive a test. Real signatures are proven against the real server
 * in the integration test.
 */
export function fakeSigner(publicKey = `B${'A'.repeat(86)}`): DeviceSigner {
  return { publicKey, sign: async (message) => fakeSignature(publicKey, message) };
}

export function fakeSignature(publicKey: string, message: string): string {
  const out = new Uint8Array(64);
  const text = `${publicKey}|${message}`;
  for (let i = 0; i < text.length; i++) {
    const at = i % 64;
    out[at] = ((out[at] ?? 0) * 31 + text.charCodeAt(i)) & 0xff;
  }
  return toBase64Url(out);
}
