import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from './encoding';

/** Deterministic bytes (protocol code stays free of Node and DOM globals, tests too). */
function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('base64url', () => {
  it('IN-2 round-trips every length from 0 to 100 bytes', () => {
    for (let n = 0; n <= 100; n++) {
      const b = bytes(n, n + 7);
      const text = toBase64Url(b);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(text.length).toBe(Math.ceil((n * 4) / 3));
      expect(fromBase64Url(text)).toEqual(b);
    }
  });

  it('IN-2 matches the RFC 4648 test vectors (url alphabet, no padding)', () => {
    const enc = (s: string) => toBase64Url(Uint8Array.from(s, (c) => c.charCodeAt(0)));
    expect(enc('')).toBe('');
    expect(enc('f')).toBe('Zg');
    expect(enc('fo')).toBe('Zm8');
    expect(enc('foo')).toBe('Zm9v');
    expect(enc('foob')).toBe('Zm9vYg');
    expect(enc('fooba')).toBe('Zm9vYmE');
    expect(enc('foobar')).toBe('Zm9vYmFy');
    expect(toBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
    expect(fromBase64Url('-_-_')).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]));
  });

  it('IN-2 rejects padding, the standard alphabet, whitespace and impossible lengths', () => {
    expect(fromBase64Url('Zg==')).toBeNull();
    expect(fromBase64Url('+/+/')).toBeNull();
    expect(fromBase64Url('Zm9v Yg')).toBeNull();
    expect(fromBase64Url('Zm9vY')).toBeNull(); // length % 4 === 1 cannot come from whole bytes
    expect(fromBase64Url('A')).toBeNull();
    expect(fromBase64Url('Zm9v\n')).toBeNull();
  });

  it('IN-2 rejects non-canonical trailing bits, so two strings never decode to the same bytes', () => {
    expect(fromBase64Url('Zg')).toEqual(new Uint8Array([0x66]));
    expect(fromBase64Url('Zh')).toBeNull();
    expect(fromBase64Url('Zm8')).toEqual(new Uint8Array([0x66, 0x6f]));
    expect(fromBase64Url('Zm9')).toBeNull();
    // The last character of a 1- or 2-byte tail carries 4 or 2 unused bits: only values with
    // those bits zero may decode.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let n = 1; n <= 40; n++) {
      if (n % 3 === 0) continue;
      const prefix = toBase64Url(bytes(n, n)).slice(0, -1);
      const step = n % 3 === 1 ? 16 : 4;
      [...alphabet].forEach((c, i) => {
        expect(fromBase64Url(prefix + c) !== null, `${n} ${c}`).toBe(i % step === 0);
      });
    }
  });
});
