import {
  createHash,
  createPublicKey,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { fromBase64Url, toBase64Url } from '@latch/protocol';

/** Random bytes as base64url. 32 bytes for tokens and claim codes, 16 for ids and refs. */
export function randomToken(bytes = 32): string {
  return toBase64Url(randomBytes(bytes));
}

/** Random bytes for ids, fetched from the CSPRNG in blocks (one call per id was ~2.5 % of a busy node's CPU). */
const ID_POOL_BYTES = 4096;
let idPool = Buffer.alloc(0);
let idPoolOffset = 0;

/** 16 random bytes as base64url: message, chat and device ids (never secrets: those use {@link randomToken}). */
export function newId(): string {
  if (idPoolOffset + 16 > idPool.length) {
    idPool = randomBytes(ID_POOL_BYTES);
    idPoolOffset = 0;
  }
  const id = toBase64Url(idPool.subarray(idPoolOffset, idPoolOffset + 16));
  idPoolOffset += 16;
  return id;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** Constant-time equality of two base64url digests. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Imported public keys, by their base64url text. A device's key never changes, so a device that
 * reconnects soon (a tab reload, a network blip) skips the import. Small on purpose: an imported key
 * holds 2–3 KB of OpenSSL memory, and 20k of them added ~3 KB to every idle session's footprint
 * (docs/performance.md) to save 84 µs on a reconnect. Least recently used out first.
 */
const KEY_CACHE_SIZE = 1_000;
const keyCache = new Map<string, KeyObject>();

/**
 * Imports an uncompressed P-256 point (0x04 ‖ x ‖ y). Through JWK rather than a DER
 * SubjectPublicKeyInfo: OpenSSL 3's DER decoder made the import cost more than the verification
 * itself (147 µs vs 84 µs for the same key on this machine, see docs/performance.md).
 */
function importPublicKey(publicKey: string, raw: Uint8Array): KeyObject {
  const cached = keyCache.get(publicKey);
  if (cached) {
    keyCache.delete(publicKey);
    keyCache.set(publicKey, cached);
    return cached;
  }
  const point = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (point[0] !== 0x04) throw new Error('not an uncompressed point');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  keyCache.set(publicKey, key);
  if (keyCache.size > KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value ?? '');
  return key;
}

/** Verifies a WebCrypto ECDSA P-256/SHA-256 signature (P1363 form) by a raw public key. */
export function verifyDeviceSignature(publicKey: string, message: string, signature: string): boolean {
  const raw = fromBase64Url(publicKey);
  const sig = fromBase64Url(signature);
  if (raw?.length !== 65 || sig?.length !== 64) return false;
  try {
    return verify(
      'sha256',
      Buffer.from(message),
      { key: importPublicKey(publicKey, raw), dsaEncoding: 'ieee-p1363' },
      sig,
    );
  } catch {
    // A point that is not on the curve is a bad signature, not a server error.
    return false;
  }
}

/** Picks characters from an alphabet without modulo bias. */
export function randomFromAlphabet(alphabet: string, length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}
