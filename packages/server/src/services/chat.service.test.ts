import type { ChatView, MessageView } from '@latch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceSocket } from '../headless/headlessDevice';
import {
  countRows,
  linkConnected,
  type Phone,
  queryDb,
  registerPhone,
  rpcError,
  sleep,
  waitUntil,
} from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';

const A = '+15550007000';
const B = '+15550007001';
const C = '+15550007002';

/** Messaging: docs/spec.md MSG-1 … MSG-7 (DESIGN §6, guarantee 6). */
describe('chats and messages', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  let n = 0;
  const msgId = () => `client-msg-${String(++n).padStart(4, '0')}`;
  const send = (s: DeviceSocket, chatId: string, text: string, clientMsgId = msgId()) =>
    s.request('messages.send', { chatId, clientMsgId, text });
  const messagesOf = (s: DeviceSocket, chatId: string) =>
    s.frames.flatMap((f) => (f.type === 'message' && f.message.chatId === chatId ? [f.message] : []));

  async function pair(): Promise<{ ada: Phone; bob: Phone; chat: ChatView }> {
    const ada = await registerPhone(t!, A, 'Ada');
    const bob = await registerPhone(t!, B, 'Bob');
    const chat = await ada.socket.request('chats.openDirect', { phoneNumber: B });
    return { ada, bob, chat };
  }

  it('MSG-7 a direct chat needs a registered number other than your own, and there is one per pair', async () => {
    t = await startTestServer();
    const ada = await registerPhone(t, A, 'Ada');
    expect((await rpcError(ada.socket.request('chats.openDirect', { phoneNumber: B }))).code).toBe(
      'not_registered',
    );
    expect((await rpcError(ada.socket.request('chats.openDirect', { phoneNumber: A }))).code).toBe(
      'bad_request',
    );
    expect(countRows(t, 'chats')).toBe(0);

    const bob = await registerPhone(t, B, 'Bob');
    const chat = await ada.socket.request('chats.openDirect', { phoneNumber: B });
    expect(chat).toMatchObject({ kind: 'direct', title: 'Bob', lastSeq: 0, lastMessage: null });
    expect(chat.members.map((m) => m.phoneNumber).sort()).toEqual([A, B]);
    const pushed = await bob.socket.waitFor('chat', (f) => f.chat.id === chat.id);
    expect(pushed.chat.title).toBe('Ada');
    expect((await ada.socket.request('chats.openDirect', { phoneNumber: B })).id).toBe(chat.id);
    expect((await bob.socket.request('chats.openDirect', { phoneNumber: A })).id).toBe(chat.id);
    expect(countRows(t, 'chats')).toBe(1);
  });

  it('MSG-1 a message reaches every online device of every member live: phone and computer of A, phone of B', async () => {
    t = await startTestServer();
    const { ada, bob, chat } = await pair();
    const computer = await linkConnected(t, ada);
    const eve = await registerPhone(t, C, 'Eve');
    const sent = await send(computer.socket, chat.id, 'hello from the computer');
    expect(sent).toMatchObject({
      chatId: chat.id,
      seq: 1,
      text: 'hello from the computer',
      senderDeviceId: computer.deviceId,
    });
    for (const s of [ada.socket, computer.socket, bob.socket]) {
      const f = await s.waitFor('message', (m) => m.message.id === sent.id);
      expect(f.message).toEqual(sent);
      expect(f.syncId).toBeGreaterThan(0);
    }
    await sleep(50);
    expect(eve.socket.frames.some((f) => f.type === 'message')).toBe(false);
    const history = await bob.socket.request('messages.history', { chatId: chat.id });
    expect(history.messages).toEqual([sent]);
  });

  it('MSG-2 sending the same clientMsgId twice stores one message with one seq and delivers it once', async () => {
    t = await startTestServer();
    const { ada, bob, chat } = await pair();
    const id = msgId();
    const first = await send(ada.socket, chat.id, 'once', id);
    const again = await send(ada.socket, chat.id, 'once', id);
    expect(again).toEqual(first);
    // Concurrent retries too.
    const id2 = msgId();
    const racing = await Promise.all([
      send(ada.socket, chat.id, 'twice?', id2),
      send(ada.socket, chat.id, 'twice?', id2),
    ]);
    expect(racing[0]).toEqual(racing[1]);
    expect(racing[0].seq).toBe(2);
    expect(countRows(t, 'messages')).toBe(2);
    await bob.socket.waitFor('message', (f) => f.message.seq === 2);
    await sleep(50);
    expect(messagesOf(bob.socket, chat.id).map((m) => m.seq)).toEqual([1, 2]);
    // The same id from another device is another message; reusing it for another chat is refused.
    const fromBob = await send(bob.socket, chat.id, 'mine', id);
    expect(fromBob.seq).toBe(3);
    await registerPhone(t, C, 'Eve');
    const other = await ada.socket.request('chats.openDirect', { phoneNumber: C });
    expect((await rpcError(send(ada.socket, other.id, 'once', id))).code).toBe('bad_request');
    expect(countRows(t, 'messages')).toBe(3);
  });

  it('MSG-1 50 concurrent sends to one chat get seq 1..50, no gaps, no duplicates, all delivered', async () => {
    t = await startTestServer();
    const { ada, bob, chat } = await pair();
    const computer = await linkConnected(t, ada);
    const sends = Array.from({ length: 50 }, (_, i) =>
      send(i % 2 === 0 ? ada.socket : computer.socket, chat.id, `message ${i}`),
    );
    const results = await Promise.all(sends);
    expect(results.map((m) => m.seq).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    await waitUntil(() => messagesOf(bob.socket, chat.id).length === 50);
    expect(new Set(messagesOf(bob.socket, chat.id).map((m) => m.seq)).size).toBe(50);
    const [row] = queryDb<{ last_seq: number }>(t, 'select last_seq from chats where id = ?', chat.id);
    expect(row?.last_seq).toBe(50);
    const history = await bob.socket.request('messages.history', { chatId: chat.id, limit: 200 });
    expect(history.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('MSG-1 sends that arrive together share one commit; a refused one answers alone, the rest are stored', async () => {
    t = await startTestServer();
    const { ada, chat } = await pair();
    const deviceId = (await ada.socket.ready).deviceId;
    const messages = t.server.services.messages;
    const as = (clientMsgId: string, text: string, chatId = chat.id) =>
      messages.send(ada.accountId, deviceId, { chatId, clientMsgId, text }).then(
        (m) => ({ ok: true as const, m }),
        (err: unknown) => ({ ok: false as const, code: (err as { code?: string }).code }),
      );
    // Submitted in one turn of the event loop: one batch.
    const results = await Promise.all([
      as('batch-1-abcdef', 'one'),
      as('batch-2-abcdef', 'two'),
      as('batch-x-abcdef', 'nowhere', 'no-such-chat-id'),
      as('batch-1-abcdef', 'one again'),
      as('batch-3-abcdef', 'three'),
    ]);
    expect(results.map((r) => (r.ok ? r.m.seq : r.code))).toEqual([1, 2, 'chat_not_found', 1, 3]);
    expect(countRows(t, 'messages')).toBe(3);

    // A failure that is not a refusal rolls the batch back; each send is then tried alone, so only
    // the failing one fails and the others keep consecutive seqs.
    const repo = t.server.ctx.repos.chats;
    const insert = repo.insertMessage.bind(repo);
    repo.insertMessage = async (row, db) => {
      if (row.body === 'poison') throw new Error('disk on fire');
      return insert(row, db);
    };
    const second = await Promise.all([
      as('batch-4-abcdef', 'four'),
      as('batch-5-abcdef', 'poison'),
      as('batch-6-abcdef', 'six'),
    ]);
    repo.insertMessage = insert;
    expect(second.map((r) => (r.ok ? r.m.seq : 'failed'))).toEqual([4, 'failed', 5]);
    const [row] = queryDb<{ last_seq: number }>(t, 'select last_seq from chats where id = ?', chat.id);
    expect(row?.last_seq).toBe(5);
    expect(countRows(t, 'messages')).toBe(5);
  });

  it('MSG-1 a device that was offline catches up with messages.sync, in order, exactly once', async () => {
    t = await startTestServer();
    const { ada, bob, chat } = await pair();
    const bobComputer = await linkConnected(t, bob);
    const first = await send(ada.socket, chat.id, 'seen live');
    const live = await bobComputer.socket.waitFor('message', (f) => f.message.id === first.id);
    bobComputer.socket.close();
    await bobComputer.socket.closed;

    const missed: MessageView[] = [];
    for (let i = 0; i < 5; i++)
      missed.push(await send(i % 2 ? bob.socket : ada.socket, chat.id, `missed ${i}`));
    // A chat the computer's account is not in stays out of its sync.
    await registerPhone(t, C, 'Eve');
    const elsewhere = await ada.socket.request('chats.openDirect', { phoneNumber: C });
    await send(ada.socket, elsewhere.id, 'not for bob');

    const back = await bobComputer.computer.connect();
    const got: MessageView[] = [];
    let afterId = live.syncId;
    for (;;) {
      const page = await back.request('messages.sync', { afterId, limit: 2 });
      got.push(...page.messages);
      expect(page.nextAfterId).toBeGreaterThanOrEqual(afterId);
      afterId = page.nextAfterId;
      if (page.done) break;
    }
    expect(got).toEqual(missed);
    const again = await back.request('messages.sync', { afterId, limit: 10 });
    expect(again).toEqual({ messages: [], nextAfterId: afterId, done: true });
    // From the start: everything of Bob's, once, in commit order.
    const all = await back.request('messages.sync', { afterId: 0, limit: 100 });
    expect(all.messages.map((m) => m.text)).toEqual(['seen live', ...missed.map((m) => m.text)]);
  });

  it('MSG-7 empty, over-long, non-member and unknown-chat sends get precise errors and nothing is stored', async () => {
    t = await startTestServer();
    const { ada, chat } = await pair();
    const eve = await registerPhone(t, C, 'Eve');
    await send(ada.socket, chat.id, 'first');
    const cases: Array<[DeviceSocket, Record<string, unknown>, string]> = [
      [ada.socket, { chatId: chat.id, clientMsgId: msgId(), text: '' }, 'validation_failed'],
      [ada.socket, { chatId: chat.id, clientMsgId: msgId(), text: '   \n ' }, 'validation_failed'],
      [ada.socket, { chatId: chat.id, clientMsgId: msgId(), text: 'x'.repeat(4097) }, 'validation_failed'],
      [ada.socket, { chatId: chat.id, clientMsgId: 'short', text: 'hi' }, 'validation_failed'],
      [eve.socket, { chatId: chat.id, clientMsgId: msgId(), text: 'let me in' }, 'not_member'],
      [
        ada.socket,
        { chatId: 'AAAAAAAAAAAAAAAAAAAAAA', clientMsgId: msgId(), text: 'hello?' },
        'chat_not_found',
      ],
    ];
    for (const [socket, params, code] of cases) {
      const res = await socket.raw('messages.send', params);
      expect(res.ok).toBe(false);
      expect(res.error?.code, JSON.stringify(params).slice(0, 80)).toBe(code);
    }
    expect(countRows(t, 'messages')).toBe(1);
    const [row] = queryDb<{ last_seq: number }>(t, 'select last_seq from chats where id = ?', chat.id);
    expect(row?.last_seq).toBe(1);
    expect((await send(ada.socket, chat.id, 'x'.repeat(4096))).seq).toBe(2);
    for (const method of ['messages.history', 'chats.list'] as const) {
      const res = await eve.socket.raw(method, method === 'chats.list' ? {} : { chatId: chat.id });
      if (method === 'chats.list') expect(res.result).toEqual({ chats: [] });
      else expect(res.error?.code).toBe('not_member');
    }
    expect((await eve.socket.raw('messages.read', { chatId: chat.id, seq: 1 })).error?.code).toBe(
      'not_member',
    );
    expect((await eve.socket.raw('typing.set', { chatId: chat.id, typing: true })).error?.code).toBe(
      'not_member',
    );
  });

  it('MSG-3 read positions only move forward and never past the last message', async () => {
    t = await startTestServer();
    const { ada, bob, chat } = await pair();
    for (let i = 0; i < 3; i++) await send(ada.socket, chat.id, `m${i}`);
    const view = async (s: DeviceSocket) =>
      (await s.request('chats.list', {})).chats.find((c) => c.id === chat.id)!;
    await bob.socket.request('messages.read', { chatId: chat.id, seq: 2 });
    expect((await view(bob.socket)).readSeq).toBe(2);
    expect((await view(ada.socket)).othersReadSeq).toBe(2);
    // Live: blue ticks for the sender, and the reader's own devices clear their unread count.
    await ada.socket.waitFor('receipts', (f) => f.chatId === chat.id && f.othersReadSeq === 2);
    await bob.socket.waitFor('receipts', (f) => f.chatId === chat.id && f.readSeq === 2);
    await bob.socket.request('messages.read', { chatId: chat.id, seq: 1 });
    expect((await view(bob.socket)).readSeq).toBe(2);
    await bob.socket.request('messages.read', { chatId: chat.id, seq: 999 });
    expect((await view(bob.socket)).readSeq).toBe(3);
    // A message sent later is not read just because an earlier read claimed a higher seq.
    const later = await send(ada.socket, chat.id, 'new');
    expect(later.seq).toBe(4);
    expect((await view(ada.socket)).othersReadSeq).toBe(3);
    expect((await view(bob.socket)).readSeq).toBe(3);
  });

  it('MSG-3 delivery is recorded when a device of the member gets the message, live or by catching up', async () => {
    t = await startTestServer();
    const { ada, bob, chat } = await pair();
    const view = async (s: DeviceSocket) =>
      (await s.request('chats.list', {})).chats.find((c) => c.id === chat.id)!;
    const live = await send(ada.socket, chat.id, 'while online');
    await waitUntil(async () => (await view(ada.socket)).othersDeliveredSeq === live.seq);
    expect((await view(ada.socket)).othersReadSeq).toBe(0);
    // The sender hears about it live too, as a receipts frame (no full chat view per delivery).
    const tick = await ada.socket.waitFor(
      'receipts',
      (f) => f.chatId === chat.id && f.othersDeliveredSeq === live.seq,
    );
    expect(tick).toMatchObject({ readSeq: live.seq, othersReadSeq: 0 });
    // Bob's own delivery changes nothing Bob sees: he is not told.
    expect(bob.socket.frames.filter((f) => f.type === 'receipts')).toEqual([]);

    bob.socket.close();
    await bob.socket.closed;
    const offline = await send(ada.socket, chat.id, 'while offline');
    await sleep(50);
    expect((await view(ada.socket)).othersDeliveredSeq).toBe(live.seq);
    const back = await bob.device.connect();
    const page = await back.request('messages.sync', { afterId: 0, limit: 100 });
    expect(page.messages.map((m) => m.seq)).toEqual([1, 2]);
    await waitUntil(async () => (await view(ada.socket)).othersDeliveredSeq === offline.seq);
  });

  it('MSG-4 a group of three: every member’s devices get the chat and each message; typing reaches the others', async () => {
    t = await startTestServer();
    const ada = await registerPhone(t, A, 'Ada');
    const bob = await registerPhone(t, B, 'Bob');
    const eve = await registerPhone(t, C, 'Eve');
    const bobComputer = await linkConnected(t, bob);
    expect(
      (
        await rpcError(
          ada.socket.request('chats.createGroup', { name: 'Team', phoneNumbers: [B, '+15559999999'] }),
        )
      ).code,
    ).toBe('not_registered');
    expect(
      (await rpcError(ada.socket.request('chats.createGroup', { name: 'Me', phoneNumbers: [A] }))).code,
    ).toBe('bad_request');
    expect(countRows(t, 'chats')).toBe(0);

    const group = await ada.socket.request('chats.createGroup', { name: 'Team', phoneNumbers: [B, C, B] });
    expect(group).toMatchObject({ kind: 'group', title: 'Team' });
    expect(group.members.map((m) => [m.phoneNumber, m.admin]).sort()).toEqual([
      [A, true],
      [B, false],
      [C, false],
    ]);
    for (const s of [bob.socket, bobComputer.socket, eve.socket])
      await s.waitFor('chat', (f) => f.chat.id === group.id);

    const m1 = await send(eve.socket, group.id, 'hi all');
    for (const s of [ada.socket, bob.socket, bobComputer.socket, eve.socket]) {
      await s.waitFor('message', (f) => f.message.id === m1.id);
    }
    await bob.socket.request('typing.set', { chatId: group.id, typing: true });
    for (const s of [ada.socket, eve.socket]) {
      const f = await s.waitFor('typing', (x) => x.chatId === group.id);
      expect(f).toMatchObject({ accountId: bob.accountId, typing: true });
    }
    await sleep(50);
    expect(bob.socket.frames.some((f) => f.type === 'typing')).toBe(false);
    expect(bobComputer.socket.frames.some((f) => f.type === 'typing')).toBe(false);
  });
});
