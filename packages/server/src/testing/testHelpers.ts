import { randomInt, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { claimMessage, type LinkServerFrame, toBase64Url } from '@latch/protocol';
import SQLite from 'better-sqlite3';
import WebSocket from 'ws';
import { parseConfig } from '../config';
import {
  approveLink,
  type DeviceSocket,
  HeadlessDevice,
  LinkAttempt,
  registerHeadlessPhone,
} from '../headless/headlessDevice';
import { createLogger } from '../logger';
import type { DeviceRow } from '../repositories/device.repository';
import { createLatchServer, type LatchServer } from '../server';
import type { SmsTransport } from '../sms/smsTransport';
import { CapturedSms, type TestServer } from './testServer';

/** What the helpers need of a running server ({@link TestServer} and {@link LoggedServer} both fit). */
export type ServerLike = Pick<TestServer, 'url' | 'readCode' | 'dataDir'>;

/** A registered phone as the headless helpers return it. */
export type Phone = Awaited<ReturnType<typeof registerHeadlessPhone>>;

export function registerPhone(t: ServerLike, phoneNumber: string, name = 'Ada'): Promise<Phone> {
  return registerHeadlessPhone(t.url, phoneNumber, name, t.readCode);
}

/** Runs one query on the test server's SQLite file through a separate read-only connection. */
export function queryDb<T = Record<string, unknown>>(t: ServerLike, sql: string, ...params: unknown[]): T[] {
  const db = new SQLite(path.join(t.dataDir, 'latch.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Any SQLite file, opened for a test's own statements (backups, restores); close it when done. */
export function openSqliteFile(file: string, opts: { readonly?: boolean } = {}): SQLite.Database {
  return new SQLite(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
}

export function countRows(t: ServerLike, table: string, where = '1 = 1', ...params: unknown[]): number {
  const [row] = queryDb<{ n: number }>(t, `select count(*) as n from ${table} where ${where}`, ...params);
  return row?.n ?? 0;
}

/** Resolves once `check` returns true, polling; rejects after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A WebSocket opened by hand: frames as parsed JSON, the close code and reason, the upgrade's outcome. */
export class RawSocket {
  readonly ws: WebSocket;
  readonly messages: unknown[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** `open`, or the HTTP status the server refused the upgrade with. */
  readonly upgrade: Promise<'open' | number>;

  constructor(baseUrl: string, pathname: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${pathname}`, {
      headers: { origin: baseUrl, ...headers },
    });
    this.closed = new Promise((resolve) =>
      this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.upgrade = new Promise((resolve) => {
      this.ws.once('open', () => resolve('open'));
      this.ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        this.ws.terminate();
      });
      // Refused upgrades and resets end here; the outcome is reported through `upgrade`/`closed`.
      this.ws.on('error', () => resolve(0));
    });
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as unknown);
    });
  }

  /** The first message (already received or future) whose `type` matches. */
  async next(type: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
    let found: unknown;
    await waitUntil(() => {
      found = this.messages.find((m) => isRecord(m) && m.type === type);
      return found !== undefined;
    }, timeoutMs);
    return found as Record<string, unknown>;
  }

  send(data: string | Buffer): void {
    this.ws.send(data);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** A browser on the link channel that has sent `link.start` and holds its QR's link secret. */
export interface StartedLink {
  computer: HeadlessDevice;
  attempt: LinkAttempt;
  linkSecret: Uint8Array;
  /** The first ref the channel issued. */
  ref: string;
}

export async function startLink(
  t: ServerLike,
  opts: { keepSignedIn?: boolean; userAgent?: string; forwardedFor?: string } = {},
): Promise<StartedLink> {
  const computer = await HeadlessDevice.create(t.url, 'web');
  const attempt = new LinkAttempt(
    computer,
    opts.userAgent,
    opts.forwardedFor ? { 'x-forwarded-for': opts.forwardedFor } : {},
  );
  await attempt.open();
  attempt.send({
    type: 'link.start',
    publicKey: computer.publicKey,
    keepSignedIn: opts.keepSignedIn ?? true,
  });
  const { ref } = await attempt.next('link.ref');
  return { computer, attempt, linkSecret: webcrypto.getRandomValues(new Uint8Array(16)), ref };
}

/** Phone previews and approves the link; resolves with the browser's `link.approved` frame. */
export async function approveStarted(
  phone: Phone,
  link: StartedLink,
): Promise<Extract<LinkServerFrame, { type: 'link.approved' }>> {
  const preview = await phone.socket.request('link.preview', { ref: link.ref });
  await approveLink(phone, preview.linkId, link.computer.publicKey, link.linkSecret);
  return link.attempt.next('link.approved');
}

/** The browser's claim: its QR key signs the claim code. */
export function claim(computer: HeadlessDevice, claimCode: string, signer: HeadlessDevice = computer) {
  return signer
    .sign(claimMessage(claimCode))
    .then((signature) => computer.http('POST', '/v1/link/claim', { claimCode, signature }));
}

/** Links and claims a computer, then opens its authenticated socket. */
export async function linkConnected(
  t: ServerLike,
  phone: Phone,
  opts: { keepSignedIn?: boolean; userAgent?: string } = {},
): Promise<{ computer: HeadlessDevice; socket: DeviceSocket; deviceId: string }> {
  const link = await startLink(t, opts);
  const approved = await approveStarted(phone, link);
  const claimed = await claim(link.computer, approved.claimCode);
  if (claimed.status !== 200) throw new Error(`claim ${claimed.status}`);
  const socket = await link.computer.connect();
  return { computer: link.computer, socket, deviceId: approved.deviceId };
}

/** A DeviceSocket whose handshake is expected to fail: swallows the `ready` rejection. */
export function expectRefused(socket: DeviceSocket): Promise<{ code: number; reason: string }> {
  socket.ready.catch(() => undefined);
  return socket.closed;
}

export function randomRef(): string {
  return toBase64Url(webcrypto.getRandomValues(new Uint8Array(16)));
}

/** The `code` of a rejected DeviceSocket.request. */
export async function rpcError(p: Promise<unknown>): Promise<{ code: unknown; details: unknown }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Error && 'code' in err) {
      return { code: err.code, details: 'details' in err ? err.details : undefined };
    }
    throw err;
  }
  throw new Error('expected the request to fail');
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON, else null. */
  json: unknown;
}

/** A plain HTTP call with full control of headers and the raw body (strings are sent as they are). */
export async function httpCall(
  baseUrl: string,
  method: string,
  pathname: string,
  opts: { body?: string | object; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const body =
    opts.body === undefined
      ? undefined
      : typeof opts.body === 'string'
        ? opts.body
        : JSON.stringify(opts.body);
  const res = await fetch(new URL(pathname, baseUrl), {
    method,
    headers: {
      origin: baseUrl,
      ...(typeof opts.body === 'object' ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** `{error: {code, ...}}` of a failed call, or undefined. */
export function errorOf(
  json: unknown,
): { code?: unknown; message?: unknown; retryAfterMs?: unknown; details?: unknown } | undefined {
  if (isRecord(json) && isRecord(json.error)) return json.error;
  return undefined;
}

/** A server whose pino output is captured line by line (for what logs may and may not contain). */
export interface LoggedServer {
  url: string;
  server: LatchServer;
  sms: CapturedSms;
  logs: string[];
  dataDir: string;
  readCode: (phoneNumber: string) => Promise<string>;
  close(): Promise<void>;
}

export async function startLoggedServer(
  opts: { env?: Record<string, string>; sms?: SmsTransport; level?: string } = {},
): Promise<LoggedServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-log-'));
  const logs: string[] = [];
  const captured = new CapturedSms();
  const server = await createLatchServer(
    parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...opts.env }),
    {
      sms: opts.sms ?? captured,
      log: createLogger(opts.level ?? 'debug', { write: (line: string) => void logs.push(line) }),
    },
  );
  const port = await server.listen();
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    sms: captured,
    logs,
    dataDir,
    readCode: (n) => captured.next(n),
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A local HTTP gateway (SMS, email) recording what it was sent. */
export interface Gateway {
  url: string;
  requests: Array<{ method: string; contentType: string | undefined; body: unknown }>;
  close(): Promise<void>;
}

/** A local gateway on 127.0.0.1 that answers with `status`, or never answers when `hang` is set. */
export async function startGateway(opts: { status?: number; hang?: boolean }): Promise<Gateway> {
  const requests: Gateway['requests'] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(raw),
      });
      if (opts.hang) return;
      res.statusCode = opts.status ?? 200;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A linked device's row written straight to the store (for tests that need many devices fast). */
export function testDeviceRow(
  fields: Pick<DeviceRow, 'id' | 'account_id' | 'kind' | 'created_at'> & Partial<DeviceRow>,
): DeviceRow {
  return {
    name: 'Chrome on Linux',
    browser: 'Chrome',
    os: 'Linux',
    public_key: 'k'.repeat(87),
    token_hash: `hash-${fields.id}`,
    claim_hash: null,
    claim_expires_at: null,
    link_id: null,
    keep_signed_in: 1,
    last_active_at: fields.created_at,
    online_until: 0,
    ip: '10.9.9.9',
    revoked_at: null,
    revoked_reason: null,
    wiped_at: null,
    revoked_token_hash: null,
    ...fields,
  };
}

/** A random US test number (+1555…): tests on a shared PostgreSQL database must not collide. */
export function randomPhoneNumber(): string {
  return `+1555${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}
