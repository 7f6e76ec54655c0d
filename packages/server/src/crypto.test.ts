import { createHash, generateKeyPairSync, sign, webcrypto } from 'node:crypto';
import { Id, LINK_CODE_ALPHABET, toBase64Url } from '@latch/protocol';
import { describe, expect, it } from 'vitest';
import {
  digestsEqual,
  newId,
  randomFromAlphabet,
  randomToken,
  sha256,
  verifyDeviceSignature,
} from './crypto';

async function keyPair() {
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const raw = new Uint8Array(await webcrypto.subtle.exportKey('raw', pair.publicKey));
  const signText = async (message: string) =>
    toBase64Url(
      new Uint8Array(
        await webcrypto.subtle.sign(
          { name: 'ECDSA', hash: 'SHA-256' },
          pair.privateKey,
          new TextEncoder().encode(message),
        ),
      ),
    );
  return { publicKey: toBase64Url(raw), sign: signText };
}

describe('server crypto', () => {
  it('AUTH-1 a session secret is 256 random bits in base64url; ids are 128 bits and valid protocol ids', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => randomToken(32)));
    expect(tokens.size).toBe(200);
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    }
    const id = newId();
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    expect(Id.safeParse(id).success).toBe(true);
  });

  it('AUTH-1 the stored form is SHA-256 in base64url, compared in constant time', () => {
    expect(sha256('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    expect(sha256('secret')).toBe(createHash('sha256').update('secret').digest('base64url'));
    expect(digestsEqual(sha256('a'), sha256('a'))).toBe(true);
    expect(digestsEqual(sha256('a'), sha256('b'))).toBe(false);
    expect(digestsEqual(sha256('a'), sha256('a').slice(1))).toBe(false);
    expect(digestsEqual('', '')).toBe(true);
  });

  it('AUTH-3 a WebCrypto P-256 signature verifies with the raw public key, and only for its message and key', async () => {
    const device = await keyPair();
    const other = await keyPair();
    const sig = await device.sign('latch/ws-auth/v1:nonce');
    expect(verifyDeviceSignature(device.publicKey, 'latch/ws-auth/v1:nonce', sig)).toBe(true);
    expect(verifyDeviceSignature(device.publicKey, 'latch/ws-auth/v1:nonce2', sig)).toBe(false);
    expect(verifyDeviceSignature(other.publicKey, 'latch/ws-auth/v1:nonce', sig)).toBe(false);
    const flipped = Buffer.from(sig, 'base64url');
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    expect(
      verifyDeviceSignature(device.publicKey, 'latch/ws-auth/v1:nonce', flipped.toString('base64url')),
    ).toBe(false);
  });

  it('AUTH-3 malformed keys and signatures are "invalid", never a server error', async () => {
    const device = await keyPair();
    const sig = await device.sign('m');
    const offCurve = toBase64Url(new Uint8Array([4, ...new Uint8Array(64)]));
    expect(verifyDeviceSignature(offCurve, 'm', sig)).toBe(false);
    expect(verifyDeviceSignature(device.publicKey.slice(0, 40), 'm', sig)).toBe(false);
    expect(verifyDeviceSignature('not base64!', 'm', sig)).toBe(false);
    expect(verifyDeviceSignature(device.publicKey, 'm', sig.slice(0, 40))).toBe(false);
    expect(verifyDeviceSignature(device.publicKey, 'm', '')).toBe(false);
    // A DER-encoded signature (what Node makes by default) is not the P1363 form WebCrypto uses.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const raw = publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(raw.x!, 'base64url'),
      Buffer.from(raw.y!, 'base64url'),
    ]);
    const der = sign('sha256', Buffer.from('m'), privateKey).toString('base64url');
    expect(verifyDeviceSignature(point.toString('base64url'), 'm', der)).toBe(false);
    const p1363 = sign('sha256', Buffer.from('m'), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString(
      'base64url',
    );
    expect(verifyDeviceSignature(point.toString('base64url'), 'm', p1363)).toBe(true);
  });

  it('LNK-11 linking codes use only the unambiguous alphabet, without bias', () => {
    const counts = new Map<string, number>();
    const n = 4000;
    for (let i = 0; i < n / 8; i++) {
      const code = randomFromAlphabet(LINK_CODE_ALPHABET, 8);
      expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
      for (const c of code) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(LINK_CODE_ALPHABET.length);
    const expected = n / LINK_CODE_ALPHABET.length;
    for (const [c, k] of counts) {
      expect(k, c).toBeGreaterThan(expected * 0.5);
      expect(k, c).toBeLessThan(expected * 1.5);
    }
  });
});
