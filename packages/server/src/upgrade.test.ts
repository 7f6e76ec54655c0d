import { afterAll, describe, expect, it } from 'vitest';
import { type DeviceSocket, registerHeadlessPhone } from './headless/headlessDevice';
import { appliedMigrations, KNOWN_MIGRATIONS } from './store/migrations';
import {
  PREVIOUS_RELEASE,
  type ReleaseNode,
  type ReleaseTree,
  startReleaseNode,
  unpackRelease,
} from './testing/previousRelease';
import {
  allAvailable,
  busUrlWithChannel,
  createTestDatabase,
  probePostgres,
  probeRedis,
  type TestDatabase,
} from './testing/testBackends';
import { randomPhoneNumber, waitUntil } from './testing/testHelpers';
import { startTestServer, type TestServer } from './testing/testServer';

/**
 * A rolling upgrade of a two-node cluster: a node of the previous release (unpacked from git) and a
 * node of this checkout share PostgreSQL and Redis while the new one migrates the store, clients send
 * through both, then the old node is stopped and its clients move to the new one.
 */

const [pgBackend, redisBackend] = await Promise.all([probePostgres(), probeRedis()]);
const runs = allAvailable(
  [pgBackend, redisBackend],
  `rolling upgrade from ${PREVIOUS_RELEASE} (upgrade.test.ts)`,
);

/** Sends one message after another until stopped or the socket goes away; records what was acknowledged. */
function keepSending(socket: DeviceSocket, chatId: string, tag: string) {
  const acked: string[] = [];
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) {
      const sent = await socket
        .request('messages.send', { chatId, clientMsgId: `${tag}-message-${i}`, text: `${tag} ${i}` })
        .catch(() => null);
      // The node went away mid-request: that message was never acknowledged.
      if (!sent) return;
      acked.push(sent.id);
    }
  })();
  return {
    acked,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

describe.runIf(runs)(`rolling upgrade from the previous release (${PREVIOUS_RELEASE})`, () => {
  let tree: ReleaseTree | undefined;
  let oldNode: ReleaseNode | undefined;
  let newNode: TestServer | undefined;
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await oldNode?.stop();
    await newNode?.close();
    await database?.drop();
    tree?.remove();
  });

  it('OPS-10 an old and a new node serve side by side through the migration, and no acknowledged message is lost', async () => {
    tree = await unpackRelease(PREVIOUS_RELEASE);
    database = await createTestDatabase(pgBackend.url);
    const env = { DATABASE_URL: database.url, BUS_URL: busUrlWithChannel(redisBackend.url) };

    // The cluster before the upgrade: the old release alone, with its schema and its users.
    oldNode = await startReleaseNode(tree, env);
    const adaNumber = randomPhoneNumber();
    const bobNumber = randomPhoneNumber();
    const ada = await registerHeadlessPhone(oldNode.url, adaNumber, 'Ada', oldNode.readCode);
    const bob = await registerHeadlessPhone(oldNode.url, bobNumber, 'Bob', oldNode.readCode);
    const chat = await ada.socket.request('chats.openDirect', { phoneNumber: bobNumber });

    // The new release joins: it migrates the store while the old node keeps serving.
    newNode = await startTestServer({ env });
    const applied = await appliedMigrations(newNode.server.ctx.db, 'postgres');
    expect(applied).toEqual(KNOWN_MIGRATIONS);
    bob.socket.close();
    const bobOnNew = await bob.device.at(newNode.url).connect();

    // Both send at once, each through its own node; each hears the other live across versions.
    const viaOld = keepSending(ada.socket, chat.id, 'old');
    const viaNew = keepSending(bobOnNew, chat.id, 'new');
    await waitUntil(() => viaOld.acked.length >= 30 && viaNew.acked.length >= 30, 20_000);
    await waitUntil(() =>
      bobOnNew.frames.some((f) => f.type === 'message' && f.message.senderAccountId === ada.accountId),
    );
    await waitUntil(() =>
      ada.socket.frames.some((f) => f.type === 'message' && f.message.senderAccountId === bob.accountId),
    );

    // The old node is stopped (SIGTERM) mid-traffic; its phone moves to the new node and goes on.
    const stopped = oldNode.stop();
    expect(await ada.socket.closed).toMatchObject({ code: 1001 });
    await stopped;
    await viaOld.stop();
    const adaOnNew = await ada.device.at(newNode.url).connect();
    const after = keepSending(adaOnNew, chat.id, 'moved');
    await waitUntil(() => after.acked.length >= 10, 20_000);
    await Promise.all([after.stop(), viaNew.stop()]);

    // Every acknowledged message is stored once, in one gapless order, and readable on the new node.
    const acked = [...viaOld.acked, ...viaNew.acked, ...after.acked];
    const synced = await adaOnNew.request('messages.sync', { afterId: 0, limit: 1000 });
    expect(synced.done).toBe(true);
    const ids = synced.messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    const missing = acked.filter((id) => !ids.includes(id));
    expect(missing, `${missing.length} acknowledged messages lost`).toEqual([]);
    expect(synced.messages.map((m) => m.seq)).toEqual(synced.messages.map((_, i) => i + 1));
    console.info(
      `OPS-10 ${PREVIOUS_RELEASE} → this checkout (schema ${KNOWN_MIGRATIONS.at(-1)}): ` +
        `${viaOld.acked.length} messages through the old node and ${viaNew.acked.length} through the new one ` +
        `side by side, ${after.acked.length} after the old one stopped; none lost`,
    );
    for (const s of [adaOnNew, bobOnNew]) s.close();
  }, 120_000);
});
