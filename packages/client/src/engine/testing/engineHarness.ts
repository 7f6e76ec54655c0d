import type { AccountView, ChatView } from '@latch/protocol';
import { MemoryCache } from '../cache/localCache';
import type { ConnectionTiming } from '../connectionState';
import { type EngineOptions, LatchEngine } from '../engine';
import type { HttpRequest, HttpTransport, NetworkMonitor } from '../transport';
import { FakeLatchServer, fakeId } from './fakeLatchServer';
import { fakeSigner } from './fakeSigner';

export const ME = 'account-me-000001';
export const ADA = 'account-ada-00001';
const PUBLIC_KEY = `B${'A'.repeat(86)}`;

export const account: AccountView = {
  id: ME,
  phoneNumber: '+15550000001',
  name: 'Me',
  identityKey: `B${'B'.repeat(85)}A`,
  twoStepEnabled: false,
  recoveryEmail: null,
  idleLogoutDays: 30,
};

export function directChat(id = 'chat-with-ada-01'): ChatView {
  return {
    id,
    kind: 'direct',
    title: 'Ada',
    members: [
      { accountId: ME, phoneNumber: '+15550000001', name: 'Me', admin: false },
      { accountId: ADA, phoneNumber: '+15550000002', name: 'Ada', admin: false },
    ],
    lastSeq: 0,
    lastMessage: null,
    readSeq: 0,
    othersReadSeq: 0,
    othersDeliveredSeq: 0,
    updatedAt: 1_700_000_000_000,
  };
}

/** An HTTP seam that records requests and answers from a table (default 204). */
export class FakeHttp implements HttpTransport {
  readonly requests: HttpRequest[] = [];
  answer: (req: HttpRequest) => { status: number; json: unknown } | 'unreachable' = () => ({
    status: 204,
    json: null,
  });

  async request(req: HttpRequest) {
    this.requests.push(req);
    const res = this.answer(req);
    if (res === 'unreachable') throw new TypeError('fetch failed');
    return res;
  }
}

/** A network the test switches on and off. */
export class FakeNetwork implements NetworkMonitor {
  online = true;
  private readonly listeners = new Set<(online: boolean) => void>();
  isOnline = () => this.online;
  subscribe = (fn: (online: boolean) => void) => {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  };
  set(online: boolean): void {
    this.online = online;
    for (const fn of this.listeners) fn(online);
  }
}

/** Lets every queued microtask (frames in flight, awaited answers) run, without moving time. */
export async function settle(rounds = 200): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

export interface Harness {
  server: FakeLatchServer;
  engine: LatchEngine;
  cache: MemoryCache;
  http: FakeHttp;
  network: FakeNetwork;
}

/** Unique across engines, so a "reloaded" engine never reuses a clientMsgId by accident. */
let clientMsgIds = 0;

/** Timings shortened only where a test would otherwise wait long; the heartbeat keeps its real numbers. */
export const TEST_TIMING: Partial<ConnectionTiming> = { backoff: { baseMs: 500, maxMs: 15_000 } };

/** An engine wired to an in-memory server, cache, HTTP and network. Call `engine.start()` yourself. */
export function harness(
  overrides: Partial<EngineOptions> & { cache?: MemoryCache; server?: FakeLatchServer } = {},
): Harness {
  const server = overrides.server ?? new FakeLatchServer(account, fakeId('device'), PUBLIC_KEY);
  const cache = overrides.cache ?? new MemoryCache(PUBLIC_KEY);
  const http = new FakeHttp();
  const network = new FakeNetwork();
  const engine = new LatchEngine({
    app: 'web',
    origin: 'https://latch.test',
    signer: fakeSigner(PUBLIC_KEY),
    sockets: server,
    http,
    network,
    random: () => 0.5,
    timing: TEST_TIMING,
    newClientMsgId: () => `client-msg-${String(++clientMsgIds).padStart(4, '0')}`,
    ...overrides,
    cache,
  });
  return { server, engine, cache, http, network };
}
