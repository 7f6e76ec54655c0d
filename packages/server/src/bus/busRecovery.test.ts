import { randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAvailable, probePostgres, probeRedis } from '../testing/testBackends';
import { randomPhoneNumber, registerPhone } from '../testing/testHelpers';
import type { TestServer } from '../testing/testServer';
import { startTwoNodes, type TwoNodes } from '../testing/twoNodes';
import { RedisBus } from './redisBus';

/**
 * BUS-6: events published while a node's Redis subscriber was away are lost for that node; when it
 * comes back, its sockets are told to catch up from their cursors, and the message sent during the
 * gap is found in the store.
 */
const [pg, redis] = await Promise.all([probePostgres(), probeRedis()]);
const runs = allAvailable([pg, redis], 'BUS-6 resync after a Redis drop (busRecovery.test.ts)');

describe.runIf(runs)('a node whose Redis subscriber drops', () => {
  let nodes: TwoNodes | undefined;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    nodes = await startTwoNodes(pg.url, redis.url);
    ({ a, b } = nodes);
  });
  afterAll(async () => {
    await nodes?.close();
  });

  it('BUS-6 tells its sockets to resync, and a message sent during the gap is caught up from the store', async () => {
    const sender = await registerPhone(a, randomPhoneNumber(), 'Ada');
    const receiverNumber = randomPhoneNumber();
    const receiver = await registerPhone(b, receiverNumber, 'Bo');
    const chat = await sender.socket.request('chats.openDirect', { phoneNumber: receiverNumber });

    const busB = b.server.ctx.bus;
    if (!(busB instanceof RedisBus)) throw new Error('node B should run on the Redis bus');
    const admin = new Redis(redis.url);
    try {
      // Drop B's subscriber, as a Redis restart would; it reconnects by itself.
      const clients = (await admin.client('LIST')) as string;
      const line = clients.split('\n').find((l) => l.includes(`name=${busB.connectionNames.subscriber}`));
      const id = line?.match(/\bid=(\d+)/)?.[1];
      expect(id).toBeDefined();
      await admin.client('KILL', 'ID', id!);
      const sent = await sender.socket.request('messages.send', {
        chatId: chat.id,
        clientMsgId: `gap-${randomInt(1e9)}`,
        text: 'sent while node B was deaf',
      });
      await receiver.socket.waitFor('resync');
      const caught = await receiver.socket.request('messages.sync', { afterId: 0, limit: 100 });
      expect(caught.messages.map((m) => m.id)).toContain(sent.id);
    } finally {
      admin.disconnect();
      sender.socket.close();
      receiver.socket.close();
    }
  });
});
