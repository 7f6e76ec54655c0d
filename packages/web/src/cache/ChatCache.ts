import type { LinkedIdentity } from '../app/Connection';
import type { CacheDelta } from './cacheDelta';
import {
  CACHE_VERSION,
  type CachedMeta,
  type CacheSnapshot,
  parseCache,
  type RawCache,
} from './cacheRecords';

/** The database of the local message cache (wiped with everything else on logout). */
export const CACHE_DB_NAME = 'latch-web-cache';
const DB_VERSION = 1;
const META_KEY = 'meta';
/** A cache that cannot be opened this fast (another tab holding an old version) is skipped. */
const OPEN_TIMEOUT_MS = 3_000;

export type CacheLoad = { kind: 'loading' } | { kind: 'loaded'; snapshot: CacheSnapshot | null };

function done(request: IDBRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(CACHE_DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('meta');
      db.createObjectStore('chats', { keyPath: 'id' });
      db.createObjectStore('messages', { keyPath: ['chatId', 'seq'] });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('The cache is held open by an older tab.'));
  });
}

/** Opens the database, giving up after a while; a late success is closed at once (it would block a wipe). */
function openWithTimeout(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new Error('Opening the cache took too long.'));
    }, OPEN_TIMEOUT_MS);
    openDatabase().then(
      (db) => {
        clearTimeout(timer);
        if (timedOut) db.close();
        else resolve(db);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function readAll(db: IDBDatabase): Promise<RawCache> {
  const tx = db.transaction(['meta', 'chats', 'messages'], 'readonly');
  const [meta, chats, messages] = await Promise.all([
    done(tx.objectStore('meta').get(META_KEY)),
    done(tx.objectStore('chats').getAll()),
    done(tx.objectStore('messages').getAll()),
  ]);
  return {
    meta,
    chats: Array.isArray(chats) ? chats : [],
    messages: Array.isArray(messages) ? messages : [],
  };
}

/**
 * The local cache of one linked device (chats, the newest messages of each, the sync cursor and
 * what is still sending), so a reopened tab shows the chats before the socket is ready. Best
 * effort: when IndexedDB fails, the app works as without a cache. Closed before logout wipes it.
 */
export class ChatCache {
  private db: IDBDatabase | null = null;
  private closed = false;
  private loadState: CacheLoad = { kind: 'loading' };
  private readonly listeners = new Set<() => void>();
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly devicePublicKey: string) {}

  get current(): CacheLoad {
    return this.loadState;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** Opens and reads the cache; ends in `loaded` whatever happens. */
  start(): void {
    void this.load().then((snapshot) => {
      this.loadState = { kind: 'loaded', snapshot };
      for (const fn of this.listeners) fn();
    });
  }

  /** Applies one delta in a single transaction, after the writes before it. */
  write(delta: CacheDelta, identity: LinkedIdentity | null): Promise<void> {
    this.writes = this.writes.then(() => this.apply(delta, identity)).catch(() => undefined);
    return this.writes;
  }

  /** Stops all writes and releases the database, so that a wipe can delete it. */
  close(): void {
    this.closed = true;
    this.db?.close();
    this.db = null;
  }

  private async load(): Promise<CacheSnapshot | null> {
    try {
      const db = await openWithTimeout();
      if (this.closed) {
        db.close();
        return null;
      }
      // Another tab logging out deletes the database: let it.
      db.onversionchange = () => this.close();
      this.db = db;
      const raw = await readAll(db);
      const snapshot = parseCache(raw, this.devicePublicKey);
      // Nothing usable (another key's cache, an older version): start from empty, not on top of it.
      if (!snapshot) await this.clear(db);
      return snapshot;
    } catch {
      return null;
    }
  }

  /** Empties the stores (the database itself stays, for this device's writes). */
  private async clear(db: IDBDatabase): Promise<void> {
    const tx = db.transaction(['meta', 'chats', 'messages'], 'readwrite');
    for (const name of ['meta', 'chats', 'messages']) tx.objectStore(name).clear();
    await committed(tx);
  }

  private async apply(delta: CacheDelta, identity: LinkedIdentity | null): Promise<void> {
    const db = this.db;
    if (!db || this.closed) return;
    const tx = db.transaction(['meta', 'chats', 'messages'], 'readwrite');
    const chats = tx.objectStore('chats');
    const messages = tx.objectStore('messages');
    for (const chat of delta.putChats) chats.put(chat);
    for (const chatId of delta.deleteChats) chats.delete(chatId);
    for (const { chatId, belowSeq } of delta.trims) {
      messages.delete(IDBKeyRange.bound([chatId, 0], [chatId, belowSeq], false, true));
    }
    for (const m of delta.putMessages) messages.put(m);
    const meta: CachedMeta = {
      version: CACHE_VERSION,
      devicePublicKey: this.devicePublicKey,
      account: identity?.account ?? null,
      deviceId: identity?.deviceId ?? null,
      cursor: delta.cursor,
      pending: delta.pending,
    };
    tx.objectStore('meta').put(meta, META_KEY);
    await committed(tx);
  }
}
