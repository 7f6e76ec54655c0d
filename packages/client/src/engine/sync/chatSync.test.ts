import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADA, directChat, harness, ME, settle } from '../testing/engineHarness';
import { timeline } from './chatSelectors';

const CHAT = 'chat-with-ada-01';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** The seqs a view would show for the chat, in order, confirmed ones only. */
function shownSeqs(h: ReturnType<typeof harness>): number[] {
  return timeline(h.engine.getSnapshot().chats.messages[CHAT]).flatMap((i) =>
    i.kind === 'message' ? [i.message.seq] : [],
  );
}

async function connected(h: ReturnType<typeof harness>): Promise<void> {
  await h.engine.start();
  await settle();
  expect(h.engine.getSnapshot().connection.kind).toBe('ready');
}

describe('catch-up and live frames (ENG-7)', () => {
  it('ENG-7 first connect: the chats are listed and every message is synced from the cursor, in order', async () => {
    const h = harness();
    h.server.addChat(directChat(CHAT));
    for (let i = 1; i <= 3; i++) h.server.store(CHAT, ADA, `m${i}`, { live: false });
    await connected(h);
    const snap = h.engine.getSnapshot();
    expect(shownSeqs(h)).toEqual([1, 2, 3]);
    expect(snap.chats.catchUp).toEqual({ kind: 'live' });
    expect(snap.chats.cursor).toBe(h.server.log.at(-1)?.syncId);
    expect(snap.chats.chats[CHAT]?.lastSeq).toBe(3);
  });

  it('ENG-7 exactly once across a reconnect, with live frames overlapping the catch-up pages', async () => {
    const h = harness({ syncTiming: { syncPageSize: 2 } });
    h.server.addChat(directChat(CHAT));
    h.server.store(CHAT, ADA, 'm1', { live: false });
    await connected(h);
    // The connection drops; three messages are stored while the device is away.
    h.server.live!.drop(1006);
    await settle();
    const missed = [2, 3, 4].map((i) => h.server.store(CHAT, ADA, `m${i}`, { live: false }));
    // Hold the first sync page so live frames arrive in the middle of the catch-up.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const defaultSync = (p: unknown) => h.server.defaultAnswer('messages.sync', p);
    h.server.handlers.set('messages.sync', async (p) => {
      await held;
      return defaultSync(p);
    });
    await vi.advanceTimersByTimeAsync(375);
    await settle();
    // A message sent during the catch-up arrives live, and an old one is pushed again (overlap).
    h.server.store(CHAT, ADA, 'm5');
    h.server.live!.push({ type: 'message', message: missed[0]!.message, syncId: missed[0]!.syncId });
    await settle();
    expect(h.engine.getSnapshot().chats.cursor).toBe(h.server.log[0]?.syncId);
    release();
    await settle();
    expect(shownSeqs(h)).toEqual([1, 2, 3, 4, 5]);
    expect(h.engine.getSnapshot().chats.cursor).toBe(h.server.log.at(-1)?.syncId);
    // Nothing is applied twice: each seq has one entry, the chat's last message is m5.
    expect(h.engine.getSnapshot().chats.chats[CHAT]?.lastMessage?.text).toBe('m5');
  });

  it('ENG-7 a resync frame catches up a message the device never got live', async () => {
    const h = harness();
    h.server.addChat(directChat(CHAT));
    await connected(h);
    h.server.store(CHAT, ADA, 'lost on the bus', { live: false });
    await settle();
    expect(shownSeqs(h)).toEqual([]);
    h.server.live!.push({ type: 'resync' });
    await settle();
    expect(shownSeqs(h)).toEqual([1]);
    expect(h.engine.getSnapshot().chats.catchUp).toEqual({ kind: 'live' });
  });

  it('ENG-8 a message that arrives out of order leaves a hole that is filled from history', async () => {
    const h = harness();
    h.server.addChat(directChat(CHAT));
    h.server.store(CHAT, ADA, 'm1', { live: false });
    await connected(h);
    const second = h.server.store(CHAT, ADA, 'm2', { live: false });
    const third = h.server.store(CHAT, ADA, 'm3', { live: false });
    h.server.live!.push({ type: 'message', message: third.message, syncId: third.syncId });
    await settle();
    expect(shownSeqs(h)).toEqual([1, 3]);
    await vi.advanceTimersByTimeAsync(1_000);
    await settle();
    expect(shownSeqs(h)).toEqual([1, 2, 3]);
    // The late one arriving after all changes nothing.
    h.server.live!.push({ type: 'message', message: second.message, syncId: second.syncId });
    await settle();
    expect(shownSeqs(h)).toEqual([1, 2, 3]);
  });

  it('ENG-7 receipts, typing and chat removal follow the live frames', async () => {
    const h = harness();
    h.server.addChat(directChat(CHAT));
    h.server.store(CHAT, ME, 'mine', { live: false });
    await connected(h);
    h.server.live!.push({
      type: 'receipts',
      chatId: CHAT,
      readSeq: 1,
      othersReadSeq: 1,
      othersDeliveredSeq: 1,
    });
    h.server.live!.push({ type: 'typing', chatId: CHAT, accountId: ADA, typing: true });
    await settle();
    let chats = h.engine.getSnapshot().chats;
    expect(chats.chats[CHAT]?.othersReadSeq).toBe(1);
    expect(Object.keys(chats.typing[CHAT] ?? {})).toEqual([ADA]);
    await vi.advanceTimersByTimeAsync(6_001);
    expect(h.engine.getSnapshot().chats.typing[CHAT]).toBeUndefined();
    h.server.live!.push({ type: 'chat.removed', chatId: CHAT });
    await settle();
    chats = h.engine.getSnapshot().chats;
    expect(chats.chats[CHAT]).toBeUndefined();
  });
});
