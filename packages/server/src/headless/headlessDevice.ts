import { webcrypto } from 'node:crypto';
import {
  APP_REQUEST_HEADER,
  APP_REQUEST_HEADER_VALUE,
  approvalMessage,
  authMessage,
  type ClientApp,
  claimMessage,
  LinkServerFrame,
  linkMacMessage,
  type RpcMethod,
  type RpcParams,
  type RpcResult,
  rpcMethods,
  SESSION_COOKIE,
  ServerFrame,
  toBase64Url,
} from '@latch/protocol';
import WebSocket from 'ws';

/**
 * A device without a browser: the same protocol the apps speak (non-extractable P-256 key, cookie,
 * proof-of-possession), for integration tests, the CLI's headless phone and the benchmarks.
 */
export class HeadlessDevice {
  readonly cookies = new Map<string, string>();
  private constructor(
    readonly baseUrl: string,
    readonly app: ClientApp,
    private readonly privateKey: webcrypto.CryptoKey,
    readonly publicKey: string,
  ) {}

  static async create(baseUrl: string, app: ClientApp): Promise<HeadlessDevice> {
    const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ]);
    const raw = new Uint8Array(await webcrypto.subtle.exportKey('raw', pair.publicKey));
    return new HeadlessDevice(baseUrl, app, pair.privateKey, toBase64Url(raw));
  }

  /** The same device (key and cookies) talking to another node of the cluster. */
  at(baseUrl: string): HeadlessDevice {
    const twin = new HeadlessDevice(baseUrl, this.app, this.privateKey, this.publicKey);
    for (const [k, v] of this.cookies) twin.cookies.set(k, v);
    return twin;
  }

  async sign(message: string): Promise<string> {
    const sig = await webcrypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      this.privateKey,
      new TextEncoder().encode(message),
    );
    return toBase64Url(new Uint8Array(sig));
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** The session cookie for this app, as the browser would hold it. */
  get sessionCookie(): string | undefined {
    return this.cookies.get(SESSION_COOKIE[this.app]);
  }

  async http(method: 'GET' | 'POST', path: string, body?: unknown) {
    const send = () =>
      fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.cookies.size ? { cookie: this.cookieHeader } : {}),
          origin: this.baseUrl,
          // What the apps' fetch wrapper sends on every request (SEC-3).
          [APP_REQUEST_HEADER]: APP_REQUEST_HEADER_VALUE,
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
    // A kept-alive connection to a server that has since restarted fails on first use; browsers
    // send an idempotent request again on a new connection, and so does this device.
    const res = await send().catch((err: unknown) => {
      if (method === 'GET' && isStaleConnection(err)) return send();
      throw err;
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /Max-Age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as unknown) : null };
  }

  /** Opens /v1/ws and completes the proof-of-possession handshake. */
  async connect(): Promise<DeviceSocket> {
    const socket = new DeviceSocket(this);
    await socket.ready;
    return socket;
  }
}

type Waiter = { pred: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void };

export class DeviceSocket {
  readonly ws: WebSocket;
  readonly frames: ServerFrame[] = [];
  readonly ready: Promise<Extract<ServerFrame, { type: 'ready' }>>;
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters = new Set<Waiter>();
  private readonly pending = new Map<string, (f: Extract<ServerFrame, { type: 'res' }>) => void>();
  private nextId = 1;

  constructor(readonly device: HeadlessDevice) {
    const url = `${device.baseUrl.replace(/^http/, 'ws')}/v1/ws?client=${device.app}`;
    this.ws = new WebSocket(url, { headers: { cookie: device.cookieHeader, origin: device.baseUrl } });
    this.closed = new Promise((resolve) =>
      this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.ready = new Promise((resolve, reject) => {
      this.ws.on('error', reject);
      void this.closed.then((c) => reject(new Error(`closed ${c.code} ${c.reason}`)));
      this.ws.on('message', (data) => {
        const frame = ServerFrame.parse(JSON.parse(data.toString()));
        if (frame.type === 'challenge') {
          void device
            .sign(authMessage(frame.nonce))
            .then((signature) => this.ws.send(JSON.stringify({ type: 'auth', signature })));
          return;
        }
        if (frame.type === 'ready') resolve(frame);
        if (frame.type === 'res') {
          this.pending.get(frame.id)?.(frame);
          this.pending.delete(frame.id);
          return;
        }
        this.frames.push(frame);
        for (const w of this.waiters) {
          if (w.pred(frame)) {
            this.waiters.delete(w);
            w.resolve(frame);
          }
        }
      });
    });
  }

  /** Sends an RPC; resolves with the result or rejects with the error payload's code. */
  async request<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
    const res = await this.raw(method, params);
    if (!res.ok)
      throw Object.assign(new Error(res.error?.message), { code: res.error?.code, details: res.error });
    return rpcMethods[method].result.parse(res.result) as RpcResult<M>;
  }

  raw(method: string, params: unknown): Promise<Extract<ServerFrame, { type: 'res' }>> {
    const id = String(this.nextId++);
    if (this.ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new Error(`socket is not open (${method})`));
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, resolve);
      // A request whose socket closes never gets its answer: fail it rather than hang.
      void this.closed.then((c) => {
        if (this.pending.delete(id)) reject(new Error(`socket closed ${c.code} before answering ${method}`));
      });
      this.ws.send(JSON.stringify({ type: 'req', id, method, params }));
    });
  }

  /** Resolves with the first frame (already received or future) that matches. */
  waitFor<T extends ServerFrame['type']>(
    type: T,
    pred: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true,
  ) {
    const match = (f: ServerFrame): f is Extract<ServerFrame, { type: T }> =>
      f.type === type && pred(f as Extract<ServerFrame, { type: T }>);
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<Extract<ServerFrame, { type: T }>>((resolve) => {
      this.waiters.add({ pred: match, resolve: (f) => resolve(f as Extract<ServerFrame, { type: T }>) });
    });
  }

  close(): void {
    this.ws.close(1000);
  }
}

/** Registers a number as a phone: code via `readCode`, name set over the socket. */
export async function registerHeadlessPhone(
  baseUrl: string,
  phoneNumber: string,
  name: string,
  readCode: (phoneNumber: string) => Promise<string>,
): Promise<{ device: HeadlessDevice; socket: DeviceSocket; accountId: string }> {
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

/** A browser's link channel, driven by hand. */
export class LinkAttempt {
  readonly ws: WebSocket;
  readonly frames: LinkServerFrame[] = [];
  private readonly waiters = new Set<(f: LinkServerFrame) => void>();
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(
    readonly computer: HeadlessDevice,
    userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36',
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

async function hmac(key: Uint8Array, message: string): Promise<string> {
  const k = await webcrypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toBase64Url(
    new Uint8Array(await webcrypto.subtle.sign('HMAC', k, new TextEncoder().encode(message))),
  );
}

/** The phone side of an approval: signature by the account key, MAC with the link secret. */
export async function approveLink(
  phone: { device: HeadlessDevice; socket: DeviceSocket },
  linkId: string,
  devicePublicKey: string,
  macKey: Uint8Array,
  /** The number picked from the preview's choices, when the computer is on another network. */
  extra: { matchNumber?: number } = {},
) {
  const signature = await phone.device.sign(approvalMessage(linkId, devicePublicKey));
  const mac = await hmac(macKey, linkMacMessage(devicePublicKey, phone.device.publicKey));
  return phone.socket.request('link.approve', { linkId, devicePublicKey, signature, mac, ...extra });
}

/** Links a headless computer to a phone through a QR ref, end to end; returns the computer, claimed. */
export async function linkHeadlessComputer(
  baseUrl: string,
  phone: { device: HeadlessDevice; socket: DeviceSocket },
  opts: { keepSignedIn?: boolean; userAgent?: string } = {},
): Promise<HeadlessDevice> {
  const computer = await HeadlessDevice.create(baseUrl, 'web');
  const link = new LinkAttempt(computer, opts.userAgent);
  await link.open();
  link.send({ type: 'link.start', publicKey: computer.publicKey, keepSignedIn: opts.keepSignedIn ?? true });
  const { ref } = await link.next('link.ref');
  const preview = await phone.socket.request('link.preview', { ref });
  const secret = webcrypto.getRandomValues(new Uint8Array(16));
  await approveLink(phone, preview.linkId, computer.publicKey, secret);
  const approved = await link.next('link.approved');
  const claimed = await computer.http('POST', '/v1/link/claim', {
    claimCode: approved.claimCode,
    signature: await computer.sign(claimMessage(approved.claimCode)),
  });
  if (claimed.status !== 200) throw new Error(`claim ${claimed.status} ${JSON.stringify(claimed.json)}`);
  return computer;
}

function isStaleConnection(err: unknown): boolean {
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  return cause?.code === 'UND_ERR_SOCKET';
}
