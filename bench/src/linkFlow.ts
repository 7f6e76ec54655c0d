import { linkComputer as engineLinkComputer, signApproval } from '@latch/client';
import { CookieJar, nodeHttpTransport, nodeSocketTransport } from '@latch/client/node';
import { fromBase64Url, SESSION_COOKIE } from '@latch/protocol';
import { BenchKey } from './benchKey';
import type { BenchSocket } from './benchSocket';
import { BENCH_USER_AGENT, type SeedDevice } from './seed';

const LINK_TIMEOUT_MS = 30_000;

/** The phone that approves: its socket and its account identity key. */
export interface Approver {
  socket: BenchSocket;
  key: BenchKey;
  accountId: string;
}

export interface LinkTimings {
  /** From the phone sending link.approve to the claim answered with a cookie. */
  approveToCookieMs: number;
  /** From link.approve to the browser holding link.approved. */
  approveToApprovedMs: number;
  /** The claim POST alone. */
  claimMs: number;
}

/** What the phone does once it has read a QR: preview, then the engine's signed and MAC'd approval. */
export async function approveFromPhone(
  phone: Approver,
  ref: string,
  devicePublicKey: string,
  linkSecret: Uint8Array,
): Promise<{ linkId: string; approval: Promise<unknown>; sentAt: number }> {
  const { linkId } = await phone.socket.request('link.preview', { ref });
  const params = await signApproval(phone.key, linkId, devicePublicKey, new Uint8Array(linkSecret));
  const sentAt = performance.now();
  const approval = phone.socket.request('link.approve', params);
  // Awaited by the caller later; until then a failure must not count as unhandled.
  approval.catch(() => undefined);
  return { linkId, approval, sentAt };
}

/**
 * Links a new computer through the real protocol with the client engine's link flow (ENG-14): link
 * channel → QR ref → phone preview and approval → link.approved (MAC checked as the browser does) →
 * claim signed by the computer's key → cookie.
 */
export async function linkComputer(
  url: string,
  phone: Approver,
): Promise<{ device: SeedDevice; timings: LinkTimings }> {
  const key = BenchKey.generate();
  const jar = new CookieJar();
  let phoneSide: ReturnType<typeof approveFromPhone> | null = null;
  let approvedAt = 0;
  let claimStarted = 0;
  const { deviceId } = await engineLinkComputer({
    origin: url,
    sockets: nodeSocketTransport(jar, url, {
      perMessageDeflate: false,
      headers: { 'user-agent': BENCH_USER_AGENT },
    }),
    http: nodeHttpTransport(jar, url),
    signer: key,
    keepSignedIn: true,
    timeoutMs: LINK_TIMEOUT_MS,
    onQr: (qr) => {
      phoneSide = approveFromPhone(
        phone,
        qr.ref,
        qr.devicePublicKey,
        fromBase64Url(qr.linkSecret) ?? new Uint8Array(),
      );
      phoneSide.catch(() => undefined);
    },
    onState: (state) => {
      if (state.kind === 'verifying') approvedAt = performance.now();
      if (state.kind === 'claiming') claimStarted = performance.now();
    },
  });
  const doneAt = performance.now();
  if (!phoneSide) throw new Error('linked without a QR');
  const { approval, sentAt } = await phoneSide;
  await approval;
  const cookie = jar.get(SESSION_COOKIE.web);
  if (!cookie) throw new Error('the claim set no session cookie');
  return {
    device: { accountId: phone.accountId, deviceId, app: 'web', cookie, key },
    timings: {
      approveToCookieMs: doneAt - sentAt,
      approveToApprovedMs: approvedAt - sentAt,
      claimMs: doneAt - claimStarted,
    },
  };
}
