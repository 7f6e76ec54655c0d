import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceSocket } from './headless/headlessDevice';
import { PIN_FAILURES_BEFORE_LOCK } from './services/pin.service';
import { gatePinChecks } from './testing/evaluationGate';
import { allAvailable, busUrlWithChannel, probePostgres, probeRedis } from './testing/testBackends';
import {
  approveStarted,
  claim,
  randomPhoneNumber,
  registerPhone,
  startLink,
  waitUntil,
} from './testing/testHelpers';
import { startTestServer, type TestServer } from './testing/testServer';
import { startTwoNodes, type TwoNodes } from './testing/twoNodes';

/**
 * Two Latch nodes that share nothing but PostgreSQL and Redis, as behind a load balancer: a browser's
 * link channel on one, the phone on the other, messages and logouts crossing between them.
 */

const [pgBackend, redisBackend] = await Promise.all([probePostgres(), probeRedis()]);
const runs = allAvailable([pgBackend, redisBackend], 'two-node tests NODE-1 … NODE-3 (twoNodes.test.ts)');

describe.runIf(runs)('two nodes on one PostgreSQL database and one Redis', () => {
  let nodes: TwoNodes | undefined;
  let a: TestServer;
  let b: TestServer;
  /** A third node that shares the database but listens on another bus channel: it hears no events. */
  let deaf: TestServer | undefined;

  beforeAll(async () => {
    nodes = await startTwoNodes(pgBackend.url, redisBackend.url);
    ({ a, b } = nodes);
  });

  afterAll(async () => {
    await deaf?.close();
    await nodes?.close();
  });

  it('NODE-1 a computer links on node B with the phone on node A, and its message reaches the phone live', async () => {
    const phone = await registerPhone(a, randomPhoneNumber(), 'Ada');
    const bobNumber = randomPhoneNumber();
    const bob = await registerPhone(b, bobNumber, 'Bob');

    // The browser's link channel is on B; the phone's preview and approval go to A.
    const link = await startLink(b);
    const approved = await approveStarted(phone, link);
    expect((await claim(link.computer, approved.claimCode)).status).toBe(200);
    const computer = await link.computer.connect();
    expect(b.server.conns.ofDevice(approved.deviceId)).toHaveLength(1);

    const chat = await computer.request('chats.openDirect', { phoneNumber: bobNumber });
    const sentAt = Date.now();
    const sent = await computer.request('messages.send', {
      chatId: chat.id,
      clientMsgId: `node1-${randomInt(1e9)}`,
      text: 'Hello from node B',
    });
    const onPhone = await phone.socket.waitFor('message', (f) => f.message.id === sent.id);
    const latency = Date.now() - sentAt;
    expect(onPhone.message.text).toBe('Hello from node B');
    expect((await bob.socket.waitFor('message', (f) => f.message.id === sent.id)).message.seq).toBe(1);
    console.info(`NODE-1 message from node B reached the phone on node A ${latency} ms after sending`);
    for (const s of [computer, phone.socket, bob.socket]) s.close();
  });

  it('NODE-2 OUT-1 "Log out from all devices" on node A closes the computer on node B within 1 s', async () => {
    const phone = await registerPhone(a, randomPhoneNumber(), 'Ada');
    const link = await startLink(b);
    const approved = await approveStarted(phone, link);
    await claim(link.computer, approved.claimCode);
    const computer = await link.computer.connect();

    const started = Date.now();
    await phone.socket.request('devices.logoutAll', {});
    const closed = await computer.closed;
    const elapsed = Date.now() - started;
    expect(closed).toEqual({ code: 4403, reason: 'phone' });
    expect(elapsed).toBeLessThan(1000);
    console.info(`NODE-2 logout on node A closed the socket on node B in ${elapsed} ms`);
    const again = await link.computer.http('GET', '/v1/session?client=web');
    expect(again.status).toBe(401);
    phone.socket.close();
  });

  it('NODE-3 OUT-1 when the bus loses the event, the revocation sweep still closes the socket within 1 s', async () => {
    deaf = await startTestServer({
      env: { DATABASE_URL: nodes!.database.url, BUS_URL: busUrlWithChannel(redisBackend.url) },
    });
    const phone = await registerPhone(deaf, randomPhoneNumber(), 'Ada');
    const link = await startLink(deaf);
    const approved = await approveStarted(phone, link);
    await claim(link.computer, approved.claimCode);
    const socket = await link.computer.connect();

    // Node A logs the computers out (as an operator's command would); its event never reaches `deaf`.
    const started = Date.now();
    expect(await a.server.services.devices.logoutAllCompanions(phone.accountId, null)).toBe(1);
    const closed = await socket.closed;
    const elapsed = Date.now() - started;
    expect(closed).toEqual({ code: 4403, reason: 'phone' });
    expect(elapsed).toBeLessThan(1000);
    console.info(`NODE-3 without the bus, the sweep closed the socket on the other node in ${elapsed} ms`);
    phone.socket.close();
  });
  it('NODE-6 PIN-3 parallel wrong PINs sent to two nodes are all counted, and the lock holds on both', async () => {
    const phone = await registerPhone(a, randomPhoneNumber(), 'Ada');
    await phone.socket.request('pin.set', { pin: '275913' });
    // The same phone's key, a second socket on the other node (as after a reconnect through the balancer).
    const onB = await phone.device.at(b.url).connect();
    const guess = (s: DeviceSocket) => s.raw('pin.confirm', { pin: '000001' });
    const answers = await Promise.all([guess(phone.socket), guess(onB), guess(phone.socket), guess(onB)]);
    expect(answers.every((r) => !r.ok && r.error?.code === 'pin_invalid')).toBe(true);
    const row = await a.server.ctx.repos.rateLimits.find(`pin:${phone.accountId}`);
    expect(row?.failures).toBe(4);
    // The fifth, on either node, locks the PIN for everyone.
    const fifth = await guess(onB);
    expect(fifth.error?.retryAfterMs).toBe(30_000);
    const locked = await phone.socket.raw('pin.confirm', { pin: '275913' });
    expect(locked.error?.code).toBe('pin_locked');
    phone.socket.close();
    onB.close();
  });

  it('NODE-7 LIM-1 PIN-3 300 wrong PINs at once through both nodes: at most 5 are evaluated in all, and the right one is refused', async () => {
    const right = '275913';
    const phone = await registerPhone(a, randomPhoneNumber(), 'Ada');
    await phone.socket.request('pin.set', { pin: right });
    const sockets = await Promise.all([a, a, b, b, b].map((node) => phone.device.at(node.url).connect()));
    const gates = [
      gatePinChecks(a.server.services.pins, right),
      gatePinChecks(b.server.services.pins, right),
    ];
    const held = () => gates.reduce((n, g) => n + g.held(), 0);
    const calls = () => gates.reduce((n, g) => n + g.calls(), 0);
    try {
      let answered = 0;
      const wrong = Array.from({ length: 299 }, (_, i) =>
        sockets[i % sockets.length]!.raw('pin.confirm', { pin: String(100_000 + i * 7) }).finally(() => {
          answered += 1;
        }),
      );
      await waitUntil(() => answered + held() === 299, 30_000);
      const rightAnswer = await sockets.at(-1)!.raw('pin.confirm', { pin: right });
      for (const g of gates) g.release();
      const answers = await Promise.all(wrong);
      expect(calls()).toBeLessThanOrEqual(PIN_FAILURES_BEFORE_LOCK);
      expect(rightAnswer.error?.code).toBe('pin_locked');
      expect(answers.filter((r) => r.error?.code === 'pin_invalid')).toHaveLength(calls());
      console.info(`NODE-7 ${calls()} of 300 PIN guesses sent to two nodes at once were evaluated`);
    } finally {
      for (const g of gates) g.restore();
      for (const s of [...sockets, phone.socket]) s.close();
    }
  });
});
