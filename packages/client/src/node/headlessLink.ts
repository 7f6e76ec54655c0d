import { LinkServerFrame } from '@latch/protocol';
import WebSocket from 'ws';
import { macKeyFrom } from '../deviceKey';
import { signApproval } from '../engine/link/linkApproval';
import { linkComputer } from '../engine/link/linkComputer';
import { type DeviceSocket, HeadlessDevice } from './headlessDevice';

/** A registered headless phone: its device and its open socket. */
export interface HeadlessPhoneSession {
  device: HeadlessDevice;
  socket: DeviceSocket;
}

/** Registers a number as a phone: code via `readCode`, name set over the socket. */
export async function registerHeadlessPhone(
  baseUrl: string,
  phoneNumber: string,
  name: string,
  readCode: (phoneNumber: string) => Promise<string>,
): Promise<HeadlessPhoneSession & { accountId: string }> {
  const device = await HeadlessDevice.create(baseUrl, 'phone');
  const sent = await device.http('POST', '/v1/register/code', { phoneNumber });
  if (sent.status !== 200) throw new Error(`register/code ${sent.status} ${JSON.stringify(sent.json)}`);
  const code = await readCode(phoneNumber);
  const verified = await device.http('POST', '/v1/register/verify', {
    phoneNumber,
    code,
    publicKey: device.publicKey,
  });
  if (verified.status !== 200)
    throw new Error(`register/verify ${verified.status} ${JSON.stringify(verified.json)}`);
  const socket = await device.connect();
  const account = await socket.request('account.setName', { name });
  return { device, socket, accountId: account.id };
}

/** The phone side of an approval, signed and MAC'd by the engine's {@link signApproval}. */
export async function approveLink(
  phone: HeadlessPhoneSession,
  linkId: string,
  devicePublicKey: string,
  macKey: Uint8Array,
  /** The number picked from the preview's choices, when the computer is on another network. */
  extra: { matchNumber?: number } = {},
) {
  const approval = await signApproval(phone.device, linkId, devicePublicKey, new Uint8Array(macKey));
  return phone.socket.request('link.approve', { ...approval, ...extra });
}

/**
 * Links a headless computer to a phone through a QR ref, end to end, with the engine's link flow
 * (`linkComputer`: MAC checked, claim signed); returns the computer, claimed.
 */
export async function linkHeadlessComputer(
  baseUrl: string,
  phone: HeadlessPhoneSession,
  opts: { keepSignedIn?: boolean; userAgent?: string } = {},
): Promise<HeadlessDevice> {
  const computer = await HeadlessDevice.create(baseUrl, 'web');
  // A refused approval (PIN, device limit…) ends the attempt with the phone's error.
  const refused = new AbortController();
  let approval: Promise<unknown> = Promise.resolve();
  await linkComputer({
    origin: baseUrl,
    sockets: computer.sockets({ headers: { 'user-agent': opts.userAgent ?? DESKTOP_CHROME } }),
    http: computer.httpTransport(),
    signer: computer,
    keepSignedIn: opts.keepSignedIn ?? true,
    signal: refused.signal,
    onQr: (qr) => {
      approval = phone.socket
        .request('link.preview', { ref: qr.ref })
        .then((preview) =>
          approveLink(phone, preview.linkId, qr.devicePublicKey, macKeyFrom({ secret: qr.linkSecret })),
        );
      approval.catch((err: unknown) => refused.abort(err));
    },
  });
  await approval;
  return computer;
}

const DESKTOP_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36';

/**
 * A browser's link channel driven by hand: tests send any frame (valid or not) and read what comes
 * back. Linking itself goes through {@link linkHeadlessComputer}.
 */
export class LinkAttempt {
  readonly ws: WebSocket;
  readonly frames: LinkServerFrame[] = [];
  private readonly waiters = new Set<(f: LinkServerFrame) => void>();
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(
    readonly computer: HeadlessDevice,
    userAgent = DESKTOP_CHROME,
    /** Extra upgrade headers (e.g. X-Forwarded-For, to stand for a computer on another network). */
    headers: Record<string, string> = {},
  ) {
    this.ws = new WebSocket(`${computer.baseUrl.replace(/^http/, 'ws')}/v1/link`, {
      headers: { origin: computer.baseUrl, 'user-agent': userAgent, ...headers },
    });
    this.closed = new Promise((resolve) =>
      this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.ws.on('message', (data) => {
      const f = LinkServerFrame.parse(JSON.parse(data.toString()));
      this.frames.push(f);
      for (const w of this.waiters) w(f);
    });
  }

  async open(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN) return;
    await new Promise((resolve, reject) => {
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  next<T extends LinkServerFrame['type']>(type: T, skip = 0): Promise<Extract<LinkServerFrame, { type: T }>> {
    const seen = this.frames.filter((f) => f.type === type);
    if (seen.length > skip) return Promise.resolve(seen[skip] as Extract<LinkServerFrame, { type: T }>);
    return new Promise((resolve) => {
      const w = (f: LinkServerFrame) => {
        if (f.type === type && this.frames.filter((x) => x.type === type).length > skip) {
          this.waiters.delete(w);
          resolve(f as Extract<LinkServerFrame, { type: T }>);
        }
      };
      this.waiters.add(w);
    });
  }
}
