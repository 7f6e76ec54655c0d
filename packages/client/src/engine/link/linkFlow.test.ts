import { type LinkClientFrame, type LinkServerFrame, linkMacMessage } from '@latch/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { computeMac, macKeyFrom, randomBase64Url } from '../../deviceKey';
import { fakeSigner } from '../testing/fakeSigner';
import type { HttpRequest, HttpTransport, SocketTransport, TransportHandlers } from '../transport';
import { FIRST_FRAME_DEADLINE_MS } from './linkChannel';
import { createLinkFlow, type LinkFlowOptions } from './linkFlow';

const COMPUTER = fakeSigner();
const IDENTITY = `BA${'E'.repeat(85)}`;

/** One scripted link channel: what the flow sent, and a way to answer it. */
function scriptedChannel() {
  const sent: LinkClientFrame[] = [];
  let handlers: TransportHandlers | null = null;
  let closed = false;
  const sockets: SocketTransport = {
    open: (_url, h) => {
      handlers = h;
      queueMicrotask(() => h.onOpen());
      return {
        send: (text) => sent.push(JSON.parse(text)),
        close: () => {
          closed = true;
        },
      };
    },
  };
  const push = (frame: LinkServerFrame) => handlers?.onMessage(JSON.stringify(frame));
  return { sockets, sent, push, isClosed: () => closed };
}

function claimServer() {
  const requests: HttpRequest[] = [];
  const http: HttpTransport = {
    request: async (req) => {
      requests.push(req);
      return { status: 200, json: { deviceId: 'device-000000001' } };
    },
  };
  return { http, requests };
}

async function approvedWith(macKey: Uint8Array<ArrayBuffer>): Promise<LinkServerFrame> {
  return {
    type: 'link.approved',
    claimCode: 'A'.repeat(43),
    deviceId: 'device-000000001',
    account: { name: 'Ada', phoneNumber: '+15551234567', identityKey: IDENTITY },
    mac: await computeMac(macKey, linkMacMessage(COMPUTER.publicKey, IDENTITY)),
    signature: 'A'.repeat(86),
  };
}

function start(overrides: Partial<LinkFlowOptions> = {}) {
  const channel = scriptedChannel();
  const server = claimServer();
  const flow = createLinkFlow({
    origin: 'https://latch.test',
    sockets: channel.sockets,
    http: server.http,
    signer: Promise.resolve(COMPUTER),
    keepSignedIn: true,
    ...overrides,
  });
  return { flow, channel, server };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

describe('link flow object (ENG-15)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('ENG-15 LNK-11 a number given at start is sent after the first frame; an approval MACed with the typed code is claimed, kept, then done', async () => {
    const onClaimed = vi.fn(async () => undefined);
    const { flow, channel, server } = start({
      start: { phoneForm: true, phoneNumber: '+15551234567' },
      onClaimed,
    });
    await settle();
    expect(channel.sent).toEqual([{ type: 'link.start', publicKey: COMPUTER.publicKey, keepSignedIn: true }]);
    channel.push({ type: 'link.ref', ref: 'AAAAAAAAAAAAAAAAAAAAAQ', index: 1, max: 6, expiresInMs: 20_000 });
    expect(channel.sent[1]).toEqual({ type: 'link.byPhone', phoneNumber: '+15551234567' });
    channel.push({ type: 'link.code', code: 'ABCD-EFGH', expiresInMs: 60_000 });
    expect(flow.getSnapshot().state).toMatchObject({ kind: 'showing_code', code: 'ABCD-EFGH' });
    channel.push(await approvedWith(macKeyFrom({ code: 'ABCDEFGH' })));
    await vi.waitFor(() => expect(flow.getSnapshot().state.kind).toBe('done'));
    expect(server.requests.map((r) => r.url)).toEqual(['https://latch.test/v1/link/claim']);
    expect(onClaimed).toHaveBeenCalledWith('device-000000001');
    expect(flow.getSnapshot().state).toEqual({ kind: 'done', deviceId: 'device-000000001' });
    expect(channel.isClosed()).toBe(true);
  });

  it('ENG-15 LNK-9 an approval MACed with any other secret is never claimed', async () => {
    const { flow, channel, server } = start();
    await settle();
    channel.push({ type: 'link.ref', ref: 'AAAAAAAAAAAAAAAAAAAAAQ', index: 1, max: 6, expiresInMs: 20_000 });
    const qr = flow.getSnapshot().qr;
    expect(qr).toMatchObject({ ref: 'AAAAAAAAAAAAAAAAAAAAAQ', devicePublicKey: COMPUTER.publicKey });
    channel.push(await approvedWith(macKeyFrom({ secret: randomBase64Url(16) })));
    await vi.waitFor(() => expect(flow.getSnapshot().state.kind).toBe('failed'));
    expect(flow.getSnapshot().state).toEqual({ kind: 'failed', failure: { kind: 'mac_mismatch' } });
    expect(server.requests).toEqual([]);
  });

  it('ENG-15 LNK-1 subscribers see each rotated QR; a ref the server never replaced leaves the screen after its expiry', async () => {
    const { flow, channel } = start();
    const seen: string[] = [];
    flow.subscribe(() => seen.push(flow.getSnapshot().qr?.ref ?? '-'));
    await settle();
    channel.push({ type: 'link.ref', ref: 'AAAAAAAAAAAAAAAAAAAAAQ', index: 1, max: 6, expiresInMs: 20_000 });
    channel.push({ type: 'link.ref', ref: 'AAAAAAAAAAAAAAAAAAAAAg', index: 2, max: 6, expiresInMs: 20_000 });
    await vi.advanceTimersByTimeAsync(21_000);
    expect(seen).toEqual(['-', 'AAAAAAAAAAAAAAAAAAAAAQ', 'AAAAAAAAAAAAAAAAAAAAAg', '-']);
    expect(flow.getSnapshot().state).toEqual({ kind: 'connecting' });
  });

  it('ENG-15 a channel silent past its first-frame deadline is lost (and nothing is dispatched after close)', async () => {
    const { flow, channel } = start();
    await vi.advanceTimersByTimeAsync(FIRST_FRAME_DEADLINE_MS);
    expect(flow.getSnapshot().state).toEqual({ kind: 'failed', failure: { kind: 'connection_lost' } });
    flow.close();
    channel.push({ type: 'link.ref', ref: 'AAAAAAAAAAAAAAAAAAAAAQ', index: 1, max: 6, expiresInMs: 20_000 });
    expect(flow.getSnapshot().state.kind).toBe('failed');
  });
});
