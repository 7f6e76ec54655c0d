import type { LinkedIdentity } from '../identity';
import type { CacheDelta } from './cacheDelta';
import { CACHE_VERSION, type CachedMeta, type CacheSnapshot, parseCache } from './cacheRecords';

/**
 * Where a device keeps its chats, the newest messages of each, the sync cursor and its outbox, so
 * a reload shows them at once (ENG-10). Best effort: a cache that fails behaves as an empty one.
 * One cache belongs to one device key; what another key left behind is never shown.
 */
export interface LocalCache {
  /** What is stored for this device key, validated (never cast); null when nothing usable. */
  load(): Promise<CacheSnapshot | null>;
  /** Applies one delta after the writes before it, in one transaction. Never throws. */
  write(delta: CacheDelta, identity: LinkedIdentity | null): Promise<void>;
  /** Deletes everything (logout). Later writes are ignored. */
  destroy(): Promise<void>;
}

/** The meta record a write leaves behind. */
export function metaRecord(
  devicePublicKey: string,
  delta: CacheDelta,
  identity: LinkedIdentity | null,
): CachedMeta {
  return {
    version: CACHE_VERSION,
    devicePublicKey,
    account: identity?.account ?? null,
    deviceId: identity?.deviceId ?? null,
    cursor: delta.cursor,
    pending: delta.pending,
  };
}

/**
 * A cache in memory (Node, tests). Records are stored as structured clones and parsed on the way
 * back exactly as IndexedDB's are, so both implementations obey the same rules.
 */
export class MemoryCache implements LocalCache {
  private meta: unknown;
  private readonly chats = new Map<string, unknown>();
  private readonly messages = new Map<string, { chatId: string; seq: number; record: unknown }>();
  private destroyed = false;

  constructor(private readonly devicePublicKey: string) {}

  async load(): Promise<CacheSnapshot | null> {
    const raw = {
      meta: this.meta,
      chats: [...this.chats.values()],
      messages: [...this.messages.values()].map((m) => m.record),
    };
    return parseCache(structuredClone(raw), this.devicePublicKey);
  }

  async write(delta: CacheDelta, identity: LinkedIdentity | null): Promise<void> {
    if (this.destroyed) return;
    for (const chat of delta.putChats) this.chats.set(chat.id, structuredClone(chat));
    for (const chatId of delta.deleteChats) this.chats.delete(chatId);
    for (const { chatId, belowSeq } of delta.trims) {
      for (const [key, m] of this.messages)
        if (m.chatId === chatId && m.seq < belowSeq) this.messages.delete(key);
    }
    for (const m of delta.putMessages) {
      this.messages.set(`${m.chatId}/${m.seq}`, { chatId: m.chatId, seq: m.seq, record: structuredClone(m) });
    }
    this.meta = structuredClone(metaRecord(this.devicePublicKey, delta, identity));
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.meta = undefined;
    this.chats.clear();
    this.messages.clear();
  }
}
