import { describe, expect, it } from 'vitest';
import { toBase64Url } from './encoding';
import {
  formatLinkCode,
  Id,
  LINK_CODE_ALPHABET,
  LinkCode,
  normalizePhoneInput,
  PhoneNumber,
  PublicKey,
  Random128,
  Signature,
} from './primitives';

describe('PhoneNumber', () => {
  it('REG-1 accepts E.164: a plus and 8 to 15 digits, no leading zero', () => {
    for (const n of ['+15551234567', '+12345678', '+123456789012345', '+447911123456']) {
      expect(PhoneNumber.safeParse(n).success, n).toBe(true);
    }
  });

  it('REG-1 refuses anything else', () => {
    for (const n of [
      '15551234567',
      '+1234567',
      '+1234567890123456',
      '+05551234567',
      '+1 555 123 4567',
      '+1-555-123-4567',
      '+1555123456a',
      '',
      '+',
      ' +15551234567',
      '+15551234567\n',
    ]) {
      expect(PhoneNumber.safeParse(n).success, JSON.stringify(n)).toBe(false);
    }
  });

  it('REG-1 normalises what people type into E.164 candidates', () => {
    expect(normalizePhoneInput('+1 (555) 123-4567')).toBe('+15551234567');
    expect(normalizePhoneInput('  0044 7911 123456 ')).toBe('+447911123456');
    expect(normalizePhoneInput('5551234567')).toBe('+5551234567');
    expect(PhoneNumber.safeParse(normalizePhoneInput('+1 (555) 123-4567')).success).toBe(true);
  });
});

describe('LinkCode', () => {
  it('LNK-11 normalises case, spaces and the dash to 8 characters', () => {
    expect(LinkCode.parse('K4DP-7QXM')).toBe('K4DP7QXM');
    expect(LinkCode.parse('k4dp-7qxm')).toBe('K4DP7QXM');
    expect(LinkCode.parse(' k4dp 7qxm ')).toBe('K4DP7QXM');
    expect(LinkCode.parse('K4DP7QXM')).toBe('K4DP7QXM');
  });

  it('LNK-11 refuses ambiguous characters (0, O, 1, I) and wrong lengths', () => {
    for (const c of [
      'K4DP-7QX0',
      'K4DP-7QXO',
      'K4DP-7QX1',
      'K4DP-7QXI',
      'K4DP-7QX',
      'K4DP-7QXMM',
      'K4DP_7QXM',
    ]) {
      expect(LinkCode.safeParse(c).success, c).toBe(false);
    }
  });

  it('LNK-11 every alphabet character is accepted and the code is shown as XXXX-XXXX', () => {
    expect(LINK_CODE_ALPHABET).toHaveLength(32);
    for (let i = 0; i < LINK_CODE_ALPHABET.length; i += 8) {
      const code = LINK_CODE_ALPHABET.slice(i, i + 8);
      expect(LinkCode.parse(code)).toBe(code);
    }
    expect(formatLinkCode('K4DP7QXM')).toBe('K4DP-7QXM');
    expect(LinkCode.parse(formatLinkCode('ABCDEFGH'))).toBe('ABCDEFGH');
  });
});

describe('keys, signatures and ids', () => {
  const point = new Uint8Array(65).fill(7);
  point[0] = 4;

  it('AUTH-3 a public key is a 65-byte uncompressed P-256 point in base64url', () => {
    expect(PublicKey.safeParse(toBase64Url(point)).success).toBe(true);
    const compressed = new Uint8Array(point);
    compressed[0] = 2;
    expect(PublicKey.safeParse(toBase64Url(compressed)).success).toBe(false);
    expect(PublicKey.safeParse(toBase64Url(point.subarray(0, 64))).success).toBe(false);
    expect(PublicKey.safeParse(`${toBase64Url(point).slice(0, 86)}+`).success).toBe(false);
  });

  it('AUTH-3 a signature is exactly 64 bytes (P1363 r || s), a ref exactly 16', () => {
    expect(Signature.safeParse(toBase64Url(new Uint8Array(64))).success).toBe(true);
    expect(Signature.safeParse(toBase64Url(new Uint8Array(63))).success).toBe(false);
    expect(Signature.safeParse(toBase64Url(new Uint8Array(72))).success).toBe(false);
    expect(Random128.safeParse(toBase64Url(new Uint8Array(16))).success).toBe(true);
    expect(Random128.safeParse(toBase64Url(new Uint8Array(32))).success).toBe(false);
  });

  it('IN-2 ids are 10 to 64 base64url characters', () => {
    expect(Id.safeParse('abcdefghij').success).toBe(true);
    expect(Id.safeParse('abc').success).toBe(false);
    expect(Id.safeParse('a'.repeat(65)).success).toBe(false);
    expect(Id.safeParse('abcdefghij/').success).toBe(false);
  });
});
