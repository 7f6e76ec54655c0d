import net from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { createLogger } from '../logger';
import { allAvailable, busUrlWithChannel, probeRedis } from '../testing/testBackends';
import { waitUntil } from '../testing/testHelpers';
import { BusEventSchema } from './busEventSchema';
import type { BusEvent } from './events';
import { RedisBus } from './redisBus';

const redis = await probeRedis();
const redisRuns = allAvailable([redis], 'Redis bus tests BUS-1 … BUS-4 (bus/redisBus.test.ts)');

/** A logger whose lines the test can read. */
function capturedLog() {
  const lines: string[] = [];
  const log = createLogger('debug', { write: (line: string) => void lines.push(line) });
  return { log, lines };
}

const message: BusEvent = {
  type: 'message.new',
  accountIds: ['acct_aaaaaaaaaaaa', 'acct_bbbbbbbbbbbb'],
  message: {
    id: 'msg_aaaaaaaaaaaa',
    chatId: 'chat_aaaaaaaaaaa',
    seq: 1,
    senderAccountId: 'acct_aaaaaaaaaaaa',
    senderDeviceId: 'dev_aaaaaaaaaaaa',
    clientMsgId: 'client-msg-1',
    text: 'the secret body',
    sentAt: 1_700_000_000_000,
  },
  syncId: 1,
};
const revoked: BusEvent = { type: 'devices.revoked', deviceIds: ['dev_aaaaaaaaaaaa'], reason: 'phone' };

/** Collects what a bus delivers to its handlers. */
function listen(bus: RedisBus): BusEvent[] {
  const got: BusEvent[] = [];
  bus.subscribe((e) => got.push(e));
  return got;
}

describe('BusEventSchema', () => {
  it('BUS-5 the wire schema is exactly the BusEvent type and accepts every kind of event', () => {
    expectTypeOf<z.infer<typeof BusEventSchema>>().toEqualTypeOf<BusEvent>();
    for (const e of [
      message,
      revoked,
      { type: 'typing', accountIds: [], chatId: 'c1', accountId: 'a1', typing: true },
    ])
      expect(BusEventSchema.parse(JSON.parse(JSON.stringify(e)))).toEqual(e);
    expect(
      BusEventSchema.safeParse({ type: 'devices.revoked', deviceIds: ['d'], reason: 'nope' }).success,
    ).toBe(false);
    expect(BusEventSchema.safeParse({ type: 'unknown' }).success).toBe(false);
  });
});

describe('RedisBus without Redis', () => {
  let bus: RedisBus | undefined;
  afterEach(async () => {
    await bus?.close();
    bus = undefined;
  });

  /** A loopback port nothing listens on. */
  async function deadPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    await new Promise((r) => server.close(r));
    return typeof address === 'object' && address ? address.port : 1;
  }

  it('BUS-4 publish never throws while Redis is unreachable; this node still hears its own events', async () => {
    const { log, lines } = capturedLog();
    bus = new RedisBus(`redis://127.0.0.1:${await deadPort()}`, { log });
    const got = listen(bus);
    await expect(bus.publish(revoked)).resolves.toBeUndefined();
    expect(got).toEqual([revoked]);
    expect(lines.some((l) => l.includes('bus publish failed'))).toBe(true);
  });

  it('BUS-4 a node that cannot reach Redis at start refuses to start, saying where it looked', async () => {
    const port = await deadPort();
    await expect(
      RedisBus.open(`redis://:hunter2@127.0.0.1:${port}`, {
        log: createLogger('silent'),
        connectTimeoutMs: 300,
      }),
    ).rejects.toThrow(`Cannot reach Redis at redis://:***@127.0.0.1:${port}`);
  });
});

describe.runIf(redisRuns)('RedisBus on Redis', () => {
  const opened: RedisBus[] = [];
  let admin: Redis;
  let url: string;

  beforeAll(() => {
    admin = new Redis(redis.url);
    return () => admin.quit().then(() => undefined);
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((b) => b.close()));
  });

  async function node(busUrl = url, log = createLogger('silent')) {
    const bus = await RedisBus.open(busUrl, { log });
    opened.push(bus);
    return bus;
  }

  /** Kills one connection of a bus by its client name, as a Redis restart or a network cut would. */
  async function kill(name: string): Promise<void> {
    const list = (await admin.call('CLIENT', 'LIST')) as string;
    const line = list.split('\n').find((l) => l.includes(` name=${name} `));
    const id = line?.match(/^id=(\d+)/)?.[1];
    if (!id) throw new Error(`no Redis client named ${name}`);
    await admin.call('CLIENT', 'KILL', 'ID', id);
  }

  beforeAll(() => {
    url = busUrlWithChannel(redis.url);
  });

  it('BUS-1 an event published on one node arrives on the other once, and once on the publisher itself', async () => {
    const a = await node();
    const b = await node();
    const onA = listen(a);
    const onB = listen(b);
    await a.publish(message);
    await waitUntil(() => onB.length === 1);
    await b.publish(revoked);
    await waitUntil(() => onA.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(onB).toEqual([message, revoked]);
    expect(onA).toEqual([message, revoked]);
  });

  it('BUS-1 nodes on another channel (another deployment on the same Redis) hear nothing', async () => {
    const a = await node();
    const other = await node(busUrlWithChannel(redis.url));
    const onOther = listen(other);
    await a.publish(revoked);
    await new Promise((r) => setTimeout(r, 200));
    expect(onOther).toEqual([]);
  });

  it('BUS-2 garbage on the channel is ignored, without logging its content, and the bus keeps working', async () => {
    const { log, lines } = capturedLog();
    const b = await node(url, log);
    const onB = listen(b);
    const garbage = [
      'not json {',
      JSON.stringify({ hello: 'world' }),
      JSON.stringify({ v: 1, origin: 'someone', event: { type: 'devices.revoked', deviceIds: 'x' } }),
      JSON.stringify({ v: 1, origin: 'someone', event: { type: 'nuke.everything' } }),
      JSON.stringify({
        v: 1,
        origin: 'someone',
        event: { ...message, message: { text: 'the secret body' } },
      }),
      JSON.stringify(null),
    ];
    for (const g of garbage) await admin.publish(b.channel, g);
    const a = await node();
    await a.publish(revoked);
    await waitUntil(() => onB.length === 1);
    expect(onB).toEqual([revoked]);
    expect(lines.some((l) => l.includes('ignored a malformed bus message'))).toBe(true);
    expect(lines.join('\n')).not.toContain('secret body');
  });

  it('BUS-3 after the subscriber connection is killed the bus resubscribes and events flow again', async () => {
    const a = await node();
    const b = await node();
    const onB = listen(b);
    await kill(b.connectionNames.subscriber);
    const started = Date.now();
    // Publish until one gets through: the ones sent while b was away are lost, by design.
    let sent = 0;
    await waitUntil(async () => {
      await a.publish({ ...revoked, deviceIds: [`dev_${sent++}`] });
      await new Promise((r) => setTimeout(r, 20));
      return onB.length > 0;
    }, 5_000);
    const recoveredMs = Date.now() - started;
    expect(recoveredMs).toBeLessThan(5_000);
    console.info(`BUS-3 subscriber back after ${recoveredMs} ms (${sent} publishes tried)`);
  });

  it('BUS-3 killing the publisher connection loses at most the events of the gap; publish never throws', async () => {
    const a = await node();
    const b = await node();
    const onB = listen(b);
    await kill(a.connectionNames.publisher);
    await expect(a.publish(revoked)).resolves.toBeUndefined();
    let n = 0;
    await waitUntil(async () => {
      await a.publish({ ...revoked, deviceIds: [`dev_${n++}`] });
      await new Promise((r) => setTimeout(r, 20));
      return onB.length > 0;
    }, 5_000);
    expect(onB.length).toBeGreaterThan(0);
  });
});
