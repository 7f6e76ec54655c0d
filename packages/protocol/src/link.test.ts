import { describe, expect, it } from 'vitest';
import { toBase64Url } from './encoding';
import {
  approvalMessage,
  authMessage,
  claimMessage,
  decodeQrPayload,
  encodeQrPayload,
  LINK_FIRST_REF_TTL_MS,
  LINK_MAX_REFS,
  LINK_REF_TTL_MS,
  LinkClientFrame,
  linkMacMessage,
  type QrPayload,
  wipedMessage,
} from './link';

const key = new Uint8Array(65).fill(9);
key[0] = 4;
const payload: QrPayload = {
  origin: 'https://latch.example:8443',
  ref: toBase64Url(new Uint8Array(16).fill(1)),
  devicePublicKey: toBase64Url(key),
  linkSecret: toBase64Url(new Uint8Array(16).fill(2)),
};

describe('QR payload', () => {
  it('LNK-3 encodes to latch:1?… and decodes to the same payload', () => {
    const text = encodeQrPayload(payload);
    expect(text.startsWith('latch:1?o=https%3A%2F%2Flatch.example%3A8443&r=')).toBe(true);
    expect(decodeQrPayload(text)).toEqual({ ok: true, payload });
  });

  it('LNK-3 a code that is not Latch is not_latch', () => {
    for (const t of ['', 'https://latch.example/', 'latch:2?o=x', 'LATCH:1?o=x', 'WIFI:S:home;;']) {
      expect(decodeQrPayload(t), t).toEqual({ ok: false, problem: 'not_latch' });
    }
  });

  it('LNK-3 a damaged Latch code is malformed', () => {
    const good = encodeQrPayload(payload);
    const cases = [
      'latch:1?',
      good.replace(/&s=[^&]*/, ''), // missing link secret
      `${good}&r=${payload.ref}`, // duplicate key
      good.replace('o=https', 'o=%E0%A4%A'), // broken percent-encoding
      good.replace(/r=[^&]*/, `r=${toBase64Url(new Uint8Array(15))}`), // 120-bit ref
      good.replace(/k=[^&]*/, `k=${toBase64Url(new Uint8Array(65))}`), // not an uncompressed point
      good.replace(/o=[^&]*/, 'o=not%20a%20url'),
      good.replace('&r=', '&=x&r='),
    ];
    for (const t of cases) expect(decodeQrPayload(t), t).toEqual({ ok: false, problem: 'malformed' });
  });
});

describe('signed messages', () => {
  it('LNK-7 every signature covers its own domain, so one purpose cannot stand in for another', () => {
    const v = 'AAAA';
    const all = [
      authMessage(v),
      claimMessage(v),
      approvalMessage(v, v),
      linkMacMessage(v, v),
      wipedMessage(v, 0),
    ];
    expect(new Set(all).size).toBe(all.length);
    expect(approvalMessage('link1', 'keyA')).not.toBe(approvalMessage('link1', 'keyB'));
    expect(approvalMessage('link1', 'keyA')).not.toBe(approvalMessage('link2', 'keyA'));
    expect(wipedMessage('d', 1)).not.toBe(wipedMessage('d', 2));
  });
});

describe('link channel frames', () => {
  it('LNK-1 the rotation constants are 60 s, then 20 s, 6 refs', () => {
    expect([LINK_FIRST_REF_TTL_MS, LINK_REF_TTL_MS, LINK_MAX_REFS]).toEqual([60_000, 20_000, 6]);
  });

  it('IN-2 link frames are strict: unknown fields and unknown types are refused', () => {
    const start = { type: 'link.start', publicKey: payload.devicePublicKey, keepSignedIn: true };
    expect(LinkClientFrame.safeParse(start).success).toBe(true);
    expect(LinkClientFrame.safeParse({ ...start, extra: 1 }).success).toBe(false);
    expect(LinkClientFrame.safeParse({ ...start, keepSignedIn: 'yes' }).success).toBe(false);
    expect(LinkClientFrame.safeParse({ type: 'link.approve' }).success).toBe(false);
    expect(LinkClientFrame.safeParse({ type: 'link.byPhone', phoneNumber: '555' }).success).toBe(false);
  });
});
