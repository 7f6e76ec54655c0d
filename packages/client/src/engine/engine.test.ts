import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryCache } from './cache/localCache';
import { timeline } from './sync/chatSelectors';
import { ADA, directChat, harness, settle } from './testing/engineHarness';

const CHAT = 'chat-with-ada-01';
const KEY = `B${'A'.repeat(86)}`;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('snapshots (ENG-1)', () => {
  it('ENG-1 getSnapshot is the same object until something changes; a change is a new object', async () => {
    const h = harness();
    h.server.addChat(directChat(CHAT));
    const seen: unknown[] = [];
    h.engine.subscribe(() => seen.push(h.engine.getSnapshot()));
    const before = h.engine.getSnapshot();
    expect(h.engine.getSnapshot()).toBe(before);
    await h.engine.start();
    await settle();
    const ready = h.engine.getSnapshot();
    expect(ready).not.toBe(before);
    expect(before.connection.kind).toBe('connecting');
    expect(before.cacheLoaded).toBe(false);
    expect(new Set(seen).size).toBe(seen.length);
    h.server.store(CHAT, ADA, 'hi');
    await settle();
    const after = h.engine.getSnapshot();
    expect(after.chats).not.toBe(ready.chats);
    // Unchanged parts keep their identity (cheap equality for views).
    expect(after.connection).toBe(ready.connection);
    expect(after.identity).toBe(ready.identity);
  });
});

describe('local cache (ENG-10)', () => {
  it('ENG-10 a reload shows the cached chats, messages and cursor before the connection is ready', async () => {
    const cache = new MemoryCache(KEY);
    const first = harness({ cache });
    first.server.addChat(directChat(CHAT));
    first.server.store(CHAT, ADA, 'cached', { live: false });
    await first.engine.start();
    await settle();
    await vi.advanceTimersByTimeAsync(300); // the batched cache write
    first.engine.close();

    const second = harness({ cache, server: first.server });
    second.server.refuse = { code: 1006, reason: '' };
    await second.engine.start();
    const snap = second.engine.getSnapshot();
    expect(snap.cacheLoaded).toBe(true);
    expect(snap.connection.kind).not.toBe('ready');
    expect(snap.identity?.account.id).toBe(first.server.account.id);
    expect(snap.chats.status).toBe('ready');
    expect(timeline(snap.chats.messages[CHAT]).map((i) => i.kind === 'message' && i.message.text)).toEqual([
      'cached',
    ]);
    expect(snap.chats.cursor).toBe(first.server.log.at(-1)?.syncId);
    // Catching up later starts from that cursor: nothing synced twice.
    second.server.refuse = null;
    await vi.advanceTimersByTimeAsync(375);
    await settle();
    const syncs = second.server.requests.filter((r) => r.method === 'messages.sync').at(-1);
    expect(syncs?.params).toMatchObject({ afterId: first.server.log.at(-1)?.syncId });
  });

  it('ENG-10 a cache left by another device key is not shown', async () => {
    const cache = new MemoryCache(KEY);
    const first = harness({ cache });
    first.server.addChat(directChat(CHAT));
    await first.engine.start();
    await settle();
    await first.engine.flushCache();
    expect(await new MemoryCache(`B${'C'.repeat(85)}A`).load()).toBeNull();
    expect((await cache.load())?.chats.map((c) => c.id)).toEqual([CHAT]);
  });
});

describe('logout and wipe (ENG-6)', () => {
  it('ENG-6 "Log out" revokes, wipes the cache and the platform, reports the wipe, and is terminal', async () => {
    const announce = vi.fn();
    const wipePlatform = vi.fn(async () => undefined);
    const h = harness({ wipe: { announce, wipePlatform } });
    h.server.addChat(directChat(CHAT));
    await h.engine.start();
    await settle();
    await h.engine.flushCache();
    expect(await h.cache.load()).not.toBeNull();
    await h.engine.logout();
    const snap = h.engine.getSnapshot();
    expect(snap.connection).toEqual({ kind: 'logged_out', reason: 'self' });
    expect(snap.wipe).toBe('done');
    expect(snap.chats.chats).toEqual({});
    expect(snap.identity).toBeNull();
    expect(await h.cache.load()).toBeNull();
    expect(announce).toHaveBeenCalledWith('self');
    expect(wipePlatform).toHaveBeenCalledOnce();
    expect(h.http.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST https://latch.test/v1/logout?client=web',
      'POST https://latch.test/v1/logout/wiped',
    ]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.server.connections.filter((c) => !c.closed)).toHaveLength(0);
    await expect(h.engine.request('chats.list', {})).rejects.toMatchObject({ status: 401 });
  });

  it('ENG-6 logged out by the phone: the same wipe, and nothing written to the cache afterwards', async () => {
    const h = harness();
    h.server.addChat(directChat(CHAT));
    await h.engine.start();
    await settle();
    h.server.live!.push({ type: 'logged_out', reason: 'phone' });
    h.server.live!.drop(4403, 'phone');
    h.server.store(CHAT, ADA, 'after logout');
    await settle();
    await h.engine.whenWiped();
    expect(h.engine.getSnapshot().connection).toEqual({ kind: 'logged_out', reason: 'phone' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await h.cache.load()).toBeNull();
  });

  it('ENG-6 OUT-8 a logout the server did not hear is remembered after the wipe', async () => {
    const rememberPendingLogout = vi.fn();
    const h = harness({ wipe: { rememberPendingLogout } });
    await h.engine.start();
    await settle();
    h.http.answer = () => 'unreachable';
    await h.engine.logout();
    expect(rememberPendingLogout).toHaveBeenCalledOnce();
    expect(rememberPendingLogout.mock.calls[0]?.[0]).toMatchObject({ deviceId: h.server.deviceId });
    expect(await h.cache.load()).toBeNull();
  });
});
