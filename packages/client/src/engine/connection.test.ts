import { authMessage } from '@latch/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import { backoffDelay } from './backoff';
import { Connection, type ConnectionOptions } from './connection';
import { DEFAULT_CONNECTION_TIMING } from './connectionState';
import { account, FakeHttp, FakeNetwork, settle } from './testing/engineHarness';
import { FakeLatchServer } from './testing/fakeLatchServer';
import { fakeSignature, fakeSigner } from './testing/fakeSigner';

const KEY = `B${'A'.repeat(86)}`;

function setup(extra: Partial<ConnectionOptions> = {}) {
  const server = new FakeLatchServer(account, 'device-computer-01', KEY);
  const network = new FakeNetwork();
  const http = new FakeHttp();
  const connection = new Connection({
    app: 'web',
    signer: fakeSigner(KEY),
    origin: 'https://latch.test',
    sockets: server,
    http,
    network,
    random: () => 0.5,
    ...extra,
  });
  return { server, network, http, connection };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('handshake (ENG-2)', () => {
  it('ENG-2 answers the challenge with a signature over authMessage(nonce); ready only after the server says so', async () => {
    const { server, connection } = setup();
    const states: string[] = [];
    connection.subscribe(() => states.push(connection.state.kind));
    connection.start();
    expect(connection.state.kind).toBe('connecting');
    await settle();
    const conn = server.live!;
    expect(conn.url).toBe('wss://latch.test/v1/ws?client=web');
    const [auth] = conn.sent('auth');
    expect(auth?.signature).toBe(fakeSignature(KEY, authMessage(conn.nonce)));
    const state = connection.state;
    expect(state.kind === 'ready' && state.account.id).toBe(account.id);
    expect(states).toEqual(['connecting', 'ready']);
  });

  it('ENG-2 a key the server does not accept (4401) ends in logged_out, not in a reconnect loop', async () => {
    const { server, connection } = setup({ signer: fakeSigner(`B${'Z'.repeat(86)}`) });
    connection.start();
    await settle();
    expect(connection.state).toEqual({ kind: 'logged_out', reason: 'unauthorized' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.connections).toHaveLength(1);
  });

  it('ENG-2 no ready within the handshake timeout: the attempt is dropped and retried', async () => {
    const { server, connection } = setup();
    server.handlers.clear();
    const open = server.open;
    // A server that accepts the socket and then says nothing.
    server.open = (url, handlers) => {
      const socket = open(url, handlers);
      server.connections.at(-1)!.frozen = true;
      return socket;
    };
    connection.start();
    await vi.advanceTimersByTimeAsync(DEFAULT_CONNECTION_TIMING.handshakeTimeoutMs);
    expect(connection.state.kind).toBe('reconnecting');
  });
});

describe('reconnect (ENG-3)', () => {
  it('ENG-3 backoff doubles from the base, is capped, and half of each step is random', () => {
    const policy = { baseMs: 500, maxMs: 15_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, policy, () => 1))).toEqual([
      500, 1000, 2000, 4000, 8000, 15_000, 15_000,
    ]);
    expect(backoffDelay(3, policy, () => 0)).toBe(1000);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(1500);
  });

  it('ENG-3 a dropped socket reconnects after the jittered backoff, then handshakes again', async () => {
    const { server, connection } = setup();
    connection.start();
    await settle();
    server.live!.drop(1006);
    await settle();
    expect(connection.state).toEqual({ kind: 'reconnecting', attempt: 1, inMs: 375 });
    await vi.advanceTimersByTimeAsync(374);
    expect(server.connections).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(connection.state.kind).toBe('ready');
    expect(server.connections).toHaveLength(2);
  });

  it('ENG-14 with reconnects off (Node tools), a dropped socket ends the connection: closed, nothing retried', async () => {
    const { server, connection } = setup({ reconnect: false });
    connection.start();
    await settle();
    expect(connection.state.kind).toBe('ready');
    server.live!.drop(1006);
    await settle();
    expect(connection.state).toEqual({ kind: 'closed' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.connections).toHaveLength(1);
  });

  it('ENG-3 failures in a row wait longer each time; a success starts over', async () => {
    const { server, connection } = setup();
    server.refuse = { code: 1006, reason: '' };
    connection.start();
    const waits: number[] = [];
    connection.subscribe(() => {
      const s = connection.state;
      if (s.kind === 'reconnecting') waits.push(s.inMs);
    });
    await settle();
    for (let i = 0; i < 4; i++) await vi.advanceTimersByTimeAsync(waits.at(-1) ?? 0);
    expect(waits).toEqual([375, 750, 1500, 3000, 6000]);
    server.refuse = null;
    await vi.advanceTimersByTimeAsync(6000);
    expect(connection.state.kind).toBe('ready');
    server.live!.drop(1006);
    await settle();
    expect(connection.state).toEqual({ kind: 'reconnecting', attempt: 1, inMs: 375 });
  });

  it('ENG-3 without a network the state is offline and nothing is tried; the network coming back connects at once', async () => {
    const { server, network, connection } = setup();
    connection.start();
    await settle();
    network.set(false);
    server.live!.drop(1006);
    await settle();
    expect(connection.state).toEqual({ kind: 'offline' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.connections).toHaveLength(1);
    network.set(true);
    await settle();
    expect(connection.state.kind).toBe('ready');
  });

  it('ENG-6 reconnects that keep failing ask HTTP about the session; a 401 there is logged_out', async () => {
    const { server, http, connection } = setup();
    server.refuse = { code: 1006, reason: '' };
    http.answer = () => ({
      status: 401,
      json: { error: { code: 'unauthorized', message: 'no', details: { reason: 'phone' } } },
    });
    connection.start();
    await settle();
    expect(http.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(375);
    await settle();
    expect(http.requests.map((r) => r.url)).toEqual(['https://latch.test/v1/session?client=web']);
    expect(connection.state).toEqual({ kind: 'logged_out', reason: 'phone' });
  });
});

describe('heartbeat (ENG-4)', () => {
  it('ENG-4 a quiet but healthy connection pings and stays ready', async () => {
    const { server, connection } = setup();
    connection.start();
    await settle();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(connection.state.kind).toBe('ready');
    expect(server.connections).toHaveLength(1);
    expect(server.live!.sent('ping').length).toBeGreaterThanOrEqual(20);
  });

  it('ENG-14 the load generator may turn the heartbeat off: a quiet socket then sends nothing', async () => {
    const { server, connection } = setup({ heartbeat: false });
    connection.start();
    await settle();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(connection.state.kind).toBe('ready');
    expect(server.live!.sent('ping')).toHaveLength(0);
  });

  it('ENG-4 a socket that went silent (no close event) is noticed within 5 s and replaced', async () => {
    const { server, connection } = setup();
    connection.start();
    await settle();
    const first = server.live!;
    first.frozen = true; // the network died: no frames, no close
    await vi.advanceTimersByTimeAsync(4_999);
    expect(connection.state.kind).toBe('ready');
    await vi.advanceTimersByTimeAsync(1);
    expect(connection.state.kind).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(375);
    await settle();
    expect(connection.state.kind).toBe('ready');
    expect(server.live).not.toBe(first);
  });

  it('NET-1 the browser going offline probes a socket that still looks open: dead within 2.5 s, then offline', async () => {
    const { server, network, connection } = setup();
    connection.start();
    await settle();
    await vi.advanceTimersByTimeAsync(1_000);
    server.answerPings = false; // the network is gone: the ping gets no answer, and no close comes
    network.set(false);
    await settle();
    expect(server.live!.sent('ping')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_499);
    expect(connection.state.kind).toBe('ready');
    await vi.advanceTimersByTimeAsync(1);
    expect(connection.state.kind).toBe('offline');
  });

  it('NET-1 a probe that is answered keeps the connection ready', async () => {
    const { server, network, connection } = setup();
    connection.start();
    await settle();
    network.set(false);
    await settle();
    expect(server.live!.sent('ping')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_500);
    expect(connection.state.kind).toBe('ready');
  });

  it('ENG-4 a server that stops answering pings is treated as dead', async () => {
    const { server, connection } = setup();
    connection.start();
    await settle();
    server.answerPings = false;
    await vi.advanceTimersByTimeAsync(2_500);
    expect(server.live!.sent('ping')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_500);
    expect(connection.state.kind).toBe('reconnecting');
  });
});

describe('requests (ENG-5)', () => {
  it('ENG-5 a request resolves with its result, validated by the method schema', async () => {
    const { connection } = setup();
    connection.start();
    const answer = connection.request('account.get', {});
    await settle();
    expect((await answer).id).toBe(account.id);
  });

  it('ENG-5 a request without an answer fails after its timeout with a network error', async () => {
    const { server, connection } = setup();
    server.handlers.set('chats.list', () => new Promise(() => undefined));
    connection.start();
    await settle();
    const answer = connection.request('chats.list', {});
    const failed = expect(answer).rejects.toMatchObject({ code: 'network' });
    await vi.advanceTimersByTimeAsync(DEFAULT_CONNECTION_TIMING.requestTimeoutMs);
    await failed;
  });

  it('ENG-5 the timeout also covers the wait for a connection', async () => {
    const { server, connection } = setup();
    server.refuse = { code: 1006, reason: '' };
    connection.start();
    const answer = connection.request('chats.list', {}, { timeoutMs: 1_000 });
    const failed = expect(answer).rejects.toBeInstanceOf(ApiError);
    await vi.advanceTimersByTimeAsync(1_000);
    await failed;
  });

  it('ENG-5 a lost connection fails what was waiting for an answer at once', async () => {
    const { server, connection } = setup();
    server.handlers.set('chats.list', () => new Promise(() => undefined));
    connection.start();
    await settle();
    const answer = connection.request('chats.list', {});
    await settle();
    server.live!.drop(1006);
    await expect(answer).rejects.toMatchObject({ code: 'network', message: 'Connection lost.' });
  });

  it('ENG-5 a refusal carries the server error id; a result that fails its schema is rejected', async () => {
    const { server, connection } = setup();
    server.handlers.set('chats.list', () => ({ chats: 'not a list' }));
    connection.start();
    await settle();
    await expect(connection.request('chats.list', {})).rejects.toThrow();
    await expect(connection.request('devices.list', {})).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('logged out (ENG-6)', () => {
  it('ENG-6 a logged_out frame is terminal: no reconnect, requests refused', async () => {
    const { server, connection } = setup();
    const events: string[] = [];
    connection.onEvent((f) => events.push(f.type));
    connection.start();
    await settle();
    server.live!.push({ type: 'logged_out', reason: 'phone' });
    server.live!.drop(4403, 'phone');
    await settle();
    expect(connection.state).toEqual({ kind: 'logged_out', reason: 'phone' });
    expect(events).toEqual(['logged_out']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.connections).toHaveLength(1);
    await expect(connection.request('chats.list', {})).rejects.toMatchObject({ status: 401 });
    connection.start();
    expect(connection.state.kind).toBe('logged_out');
  });

  it('ENG-6 a 4403 close names the reason; an unknown reason is unauthorized', async () => {
    const first = setup();
    first.connection.start();
    await settle();
    first.server.live!.drop(4403, 'inactive');
    await settle();
    expect(first.connection.state).toEqual({ kind: 'logged_out', reason: 'inactive' });
    const second = setup();
    second.server.refuse = { code: 4403, reason: 'whatever' };
    second.connection.start();
    await settle();
    expect(second.connection.state).toEqual({ kind: 'logged_out', reason: 'unauthorized' });
  });

  it('ENG-6 frames that are not valid server frames are ignored, never cast', async () => {
    const { server, connection } = setup();
    const events: string[] = [];
    connection.onEvent((f) => events.push(f.type));
    connection.start();
    await settle();
    server.live!.pushText('{not json');
    server.live!.pushText(JSON.stringify({ type: 'message', message: { id: 1 } }));
    server.live!.push({ type: 'resync' });
    await settle();
    expect(events).toEqual(['resync']);
    expect(connection.state.kind).toBe('ready');
  });
});
