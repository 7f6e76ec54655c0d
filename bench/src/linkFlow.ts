import { randomBytes } from 'node:crypto';
import { approvalMessage, claimMessage, linkMacMessage, SESSION_COOKIE } from '@latch/protocol';
import WebSocket from 'ws';
import { BenchKey, hmacBase64Url } from './benchKey';
import type { BenchSocket } from './benchSocket';
import { type Frame, readFrame, stringField } from './frames';
import { BENCH_USER_AGENT, type SeedDevice } from './seed';

const STEP_TIMEOUT_MS = 10_000;

/** A browser's /v1/link channel: link.start, then the frames the server pushes (ref, scanned, approved). */
export class LinkChannel {
  private readonly frames: Frame[] = [];
  private readonly waiters = new Set<() => void>();
  readonly closed: Promise<void>;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = readFrame(data);
      if (!frame) return;
      this.frames.push(frame);
      for (const wake of this.waiters) wake();
    });
    this.closed = new Promise((resolve) => ws.on('close', () => resolve()));
  }

  static async open(url: string): Promise<LinkChannel> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/link`, {
      headers: { origin: url, 'user-agent': BENCH_USER_AGENT },
      perMessageDeflate: false,
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new LinkChannel(ws);
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** The first frame of this type (already received or not), within the step timeout. */
  next(type: string): Promise<Frame> {
    const find = () => this.frames.find((f) => f.type === type);
    const seen = find();
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`no ${type} on the link channel within ${STEP_TIMEOUT_MS} ms`));
      }, STEP_TIMEOUT_MS);
      const wake = () => {
        const frame = find();
        if (!frame) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(frame);
      };
      this.waiters.add(wake);
    });
  }

  close(): void {
    this.ws.close(1000);
  }
}

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

/** What the phone does once it has read a QR: preview, then approve with its signature and the link MAC. */
export async function approveFromPhone(
  phone: Approver,
  ref: string,
  devicePublicKey: string,
  linkSecret: Uint8Array,
): Promise<{ linkId: string; approval: Promise<unknown>; sentAt: number }> {
  const preview = await phone.socket.request('link.preview', { ref });
  const linkId = stringField(preview, 'linkId');
  if (!linkId) throw new Error('link.preview returned no linkId');
  const params = {
    linkId,
    devicePublicKey,
    signature: phone.key.sign(approvalMessage(linkId, devicePublicKey)),
    mac: hmacBase64Url(linkSecret, linkMacMessage(devicePublicKey, phone.key.publicKey)),
  };
  const sentAt = performance.now();
  const approval = phone.socket.request('link.approve', params);
  // Awaited by the caller later; until then a failure must not count as unhandled.
  approval.catch(() => undefined);
  return { linkId, approval, sentAt };
}

/**
 * Links a new computer through the real protocol: link channel → QR ref → phone preview and approval →
 * link.approved (MAC checked as the browser does) → claim signed by the computer's key → cookie.
 */
export async function linkComputer(
  url: string,
  phone: Approver,
): Promise<{ device: SeedDevice; timings: LinkTimings }> {
  const key = BenchKey.generate();
  const channel = await LinkChannel.open(url);
  try {
    channel.send({ type: 'link.start', publicKey: key.publicKey, keepSignedIn: true });
    const ref = stringField(await channel.next('link.ref'), 'ref');
    if (!ref) throw new Error('link.ref without a ref');
    const linkSecret = randomBytes(16);
    const { approval, sentAt } = await approveFromPhone(phone, ref, key.publicKey, linkSecret);
    const approved = await channel.next('link.approved');
    const approvedAt = performance.now();
    const claimCode = stringField(approved, 'claimCode');
    const mac = stringField(approved, 'mac');
    if (!claimCode || mac !== hmacBase64Url(linkSecret, linkMacMessage(key.publicKey, phone.key.publicKey))) {
      throw new Error('link.approved without a claim code or with a wrong MAC');
    }
    const claimStarted = performance.now();
    const claimed = await claim(url, claimCode, key);
    const doneAt = performance.now();
    await approval;
    return {
      device: {
        accountId: phone.accountId,
        deviceId: claimed.deviceId,
        app: 'web',
        cookie: claimed.cookie,
        key,
      },
      timings: {
        approveToCookieMs: doneAt - sentAt,
        approveToApprovedMs: approvedAt - sentAt,
        claimMs: doneAt - claimStarted,
      },
    };
  } finally {
    channel.close();
  }
}

/** POST /v1/link/claim with the computer's signature; returns the session cookie it sets. */
async function claim(
  url: string,
  claimCode: string,
  key: BenchKey,
): Promise<{ deviceId: string; cookie: string }> {
  const res = await fetch(`${url}/v1/link/claim`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ claimCode, signature: key.sign(claimMessage(claimCode)) }),
    signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
  });
  const body: unknown = await res.json();
  const prefix = `${SESSION_COOKIE.web}=`;
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith(prefix));
  const deviceId = stringField(body, 'deviceId');
  if (res.status !== 200 || !cookie || !deviceId) throw new Error(`claim answered ${res.status}`);
  return { deviceId, cookie: cookie.slice(prefix.length) };
}
