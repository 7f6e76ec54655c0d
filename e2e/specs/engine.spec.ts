import { randomInt } from 'node:crypto';
import { LatchEngine, MemoryCache, timeline } from '@latch/client';
import {
  CookieJar,
  linkHeadlessComputer,
  nodeHttpTransport,
  nodeSocketTransport,
  registerHeadlessPhone,
} from '@latch/client/node';
import { startTestServer, type TestServer } from '@latch/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * ENG-13: the client engine in Node against a real Latch server (no browser): the `ws` transport,
 * a real P-256 key signing the real challenge, catch-up and live messages both ways, and logout.
 */
const randomNumber = () => `+1555${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('client engine against a real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('ENG-13 a linked computer running the engine in Node exchanges messages both ways, then logs out', async () => {
    const me = await registerHeadlessPhone(server.url, randomNumber(), 'Me', server.readCode);
    const adaNumber = randomNumber();
    const ada = await registerHeadlessPhone(server.url, adaNumber, 'Ada', server.readCode);
    const computer = await linkHeadlessComputer(server.url, me);

    // Ada wrote before the computer connected: it arrives through the catch-up.
    const myNumber = (await me.socket.request('account.get', {})).phoneNumber;
    const chatForAda = await ada.socket.request('chats.openDirect', { phoneNumber: myNumber });
    await ada.socket.request('messages.send', {
      chatId: chatForAda.id,
      clientMsgId: 'ada-before-link',
      text: 'before',
    });

    const jar = new CookieJar();
    for (const [name, value] of computer.cookies) jar.set(name, value);
    const engine = new LatchEngine({
      app: 'web',
      origin: server.url,
      signer: computer,
      sockets: nodeSocketTransport(jar, server.url),
      http: nodeHttpTransport(jar, server.url),
      cache: new MemoryCache(computer.publicKey),
      wipe: { wipePlatform: async () => jar.clear() },
    });
    await engine.start();
    await until(() => engine.getSnapshot().chats.catchUp.kind === 'live', 'the catch-up');
    const texts = () =>
      timeline(engine.getSnapshot().chats.messages[chatForAda.id]).map((i) =>
        i.kind === 'message' ? i.message.text : `pending:${i.pending.text}`,
      );
    expect(texts()).toEqual(['before']);
    expect(engine.getSnapshot().chats.chats[chatForAda.id]?.title).toBe('Ada');

    // Computer → Ada.
    const seenByAda = ada.socket.waitFor('message', (f) => f.message.text === 'from the engine');
    engine.send(chatForAda.id, 'from the engine');
    expect((await seenByAda).message.chatId).toBe(chatForAda.id);
    await until(() => texts().at(-1) === 'from the engine', 'the confirmation');

    // Ada → computer, live.
    await ada.socket.request('messages.send', {
      chatId: chatForAda.id,
      clientMsgId: 'ada-after-link',
      text: 'live',
    });
    await until(() => texts().at(-1) === 'live', 'the live message');
    expect(texts()).toEqual(['before', 'from the engine', 'live']);

    // Logout: revoked on the server, the cookie no longer opens anything, the cache is gone.
    const cookie = [...computer.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    await engine.logout();
    expect(engine.getSnapshot().connection).toEqual({ kind: 'logged_out', reason: 'self' });
    expect(engine.getSnapshot().wipe).toBe('done');
    const after = await fetch(new URL('/v1/session?client=web', server.url), { headers: { cookie } });
    expect(after.status).toBe(401);
    me.socket.close();
    ada.socket.close();
  });
});
