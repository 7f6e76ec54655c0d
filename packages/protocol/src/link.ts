import { z } from 'zod';
import { ErrorBody } from './errors';
import { Id, Mac, MatchNumber, PhoneNumber, PublicKey, Random128, Random256, Signature } from './primitives';

/**
 * The link channel (/v1/link) is the only WebSocket a browser may open without a session.
 * It carries one link attempt: QR refs that rotate, or a phone-number code, until the phone approves.
 */

/** Rotation rules (DESIGN §4). */
export const LINK_FIRST_REF_TTL_MS = 60_000;
export const LINK_REF_TTL_MS = 20_000;
export const LINK_MAX_REFS = 6;
export const LINK_CODE_TTL_MS = 3 * 60_000;

// ---- client → server ----------------------------------------------------------------------

export const LinkStartFrame = z.strictObject({
  type: z.literal('link.start'),
  publicKey: PublicKey,
  /** False on a shared computer: browser-session cookie and a short server lifetime. */
  keepSignedIn: z.boolean(),
});
export const LinkByPhoneFrame = z.strictObject({ type: z.literal('link.byPhone'), phoneNumber: PhoneNumber });
export const LinkUseQrFrame = z.strictObject({ type: z.literal('link.useQr') });
export const LinkClientFrame = z.discriminatedUnion('type', [
  LinkStartFrame,
  LinkByPhoneFrame,
  LinkUseQrFrame,
]);
export type LinkClientFrame = z.infer<typeof LinkClientFrame>;

// ---- server → client ----------------------------------------------------------------------

export const LinkRefFrame = z.object({
  type: z.literal('link.ref'),
  ref: Random128,
  expiresInMs: z.number().int().positive(),
  /** 1-based: which of the {@link LINK_MAX_REFS} refs this is. */
  index: z.number().int().positive(),
  max: z.number().int().positive(),
});
export const LinkCodeFrame = z.object({
  type: z.literal('link.code'),
  code: z.string(),
  expiresInMs: z.number().int().positive(),
});
/** All refs were used up without a scan; the page must ask for a click before trying again. */
export const LinkExpiredFrame = z.object({ type: z.literal('link.expired') });
/** The phone approved. The browser must check `mac` with its link secret before trusting the account. */
export const LinkApprovedFrame = z.object({
  type: z.literal('link.approved'),
  claimCode: Random256,
  deviceId: Id,
  account: z.object({ name: z.string(), phoneNumber: PhoneNumber, identityKey: PublicKey }),
  mac: Mac,
  signature: Signature,
});
/**
 * The phone is looking at this request (after a scan or code entry). `matchNumber` is set when the
 * phone is on another network: the page must show it, and the phone must pick it (LNK-16).
 */
export const LinkScannedFrame = z.object({
  type: z.literal('link.scanned'),
  matchNumber: MatchNumber.optional(),
});
export const LinkErrorFrame = z.object({ type: z.literal('link.error'), error: ErrorBody.shape.error });
export const LinkServerFrame = z.discriminatedUnion('type', [
  LinkRefFrame,
  LinkCodeFrame,
  LinkExpiredFrame,
  LinkApprovedFrame,
  LinkScannedFrame,
  LinkErrorFrame,
]);
export type LinkServerFrame = z.infer<typeof LinkServerFrame>;

// ---- the QR payload ------------------------------------------------------------------------

export const QR_SCHEME = 'latch:';

/** What the QR code carries. The link secret never reaches the server. */
export const QrPayload = z.object({
  origin: z.string().url(),
  ref: Random128,
  devicePublicKey: PublicKey,
  linkSecret: Random128,
});
export type QrPayload = z.infer<typeof QrPayload>;

/** `latch:1?o=<origin>&r=<ref>&k=<device key>&s=<link secret>`: short enough for a small QR. */
export function encodeQrPayload(p: QrPayload): string {
  const fields = { o: p.origin, r: p.ref, k: p.devicePublicKey, s: p.linkSecret };
  const query = Object.entries(fields)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return `${QR_SCHEME}1?${query}`;
}

function parseQuery(query: string): Map<string, string> | null {
  const out = new Map<string, string>();
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const key = part.slice(0, eq);
    if (out.has(key)) return null;
    try {
      out.set(key, decodeURIComponent(part.slice(eq + 1)));
    } catch {
      return null;
    }
  }
  return out;
}

export type QrDecodeResult =
  | { ok: true; payload: QrPayload }
  | { ok: false; problem: 'not_latch' | 'malformed' };

/** Parses a scanned QR text; says whether it is not a Latch code at all or a damaged one. */
export function decodeQrPayload(text: string): QrDecodeResult {
  if (!text.startsWith(`${QR_SCHEME}1?`)) return { ok: false, problem: 'not_latch' };
  const q = parseQuery(text.slice(QR_SCHEME.length + 2));
  if (!q) return { ok: false, problem: 'malformed' };
  const parsed = QrPayload.safeParse({
    origin: q.get('o'),
    ref: q.get('r'),
    devicePublicKey: q.get('k'),
    linkSecret: q.get('s'),
  });
  return parsed.success ? { ok: true, payload: parsed.data } : { ok: false, problem: 'malformed' };
}

// ---- what gets signed ----------------------------------------------------------------------
// Each signature covers a domain string, so a signature made for one purpose is useless for another.

/** Signed by a device key to open /v1/ws. */
export function authMessage(nonce: string): string {
  return `latch/ws-auth/v1:${nonce}`;
}
/** Signed by the QR's device key to claim the session cookie. */
export function claimMessage(claimCode: string): string {
  return `latch/claim/v1:${claimCode}`;
}
/** Signed by the account identity key (the phone) to approve a companion. */
export function approvalMessage(linkId: string, devicePublicKey: string): string {
  return `latch/link-approve/v1:${linkId}:${devicePublicKey}`;
}
/** MAC'd with the link secret (QR) or linking code: proves to the browser the approver saw its QR. */
export function linkMacMessage(devicePublicKey: string, identityKey: string): string {
  return `latch/link-mac/v1:${devicePublicKey}:${identityKey}`;
}
/** Signed by a logged-out browser, before it drops its key, to report that it wiped itself. */
export function wipedMessage(deviceId: string, at: number): string {
  return `latch/wiped/v1:${deviceId}:${at}`;
}
