import type { LinkedIdentity } from '../identity';
import type { CacheDelta } from './cacheDelta';
import { type CacheSnapshot, parseCache, type RawCache } from './cacheRecords';
import { type LocalCache, metaRecord } from './localCache';

const DB_VERSION = 1;
const META_KEY = 'meta';
const STORES = ['meta', 'chats', 'messages'];
/** A cache that cannot be opened this fast (another tab holding an old version) is skipped. */
const OPEN_TIMEOUT_MS = 3_000;

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

function openDatabase(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, DB_VERSION);
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
function openWithTimeout(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new Error('Opening the cache took too long.'));
    }, OPEN_TIMEOUT_MS);
    openDatabase(name).then(
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
  const tx = db.transaction(STORES, 'readonly');
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
 * The local cache in IndexedDB (one database per app, e.g. `latch-web-cache`). Everything read back
 * is parsed with the protocol's zod schemas. Best effort: when IndexedDB fails, the app works as
 * without a cache. Another tab's logout deletes the database; this one lets go of it at once.
 */
export class IndexedDbCache implements LocalCache {
  private db: IDBDatabase | null = null;
  private closed = false;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly dbName: string,
    private readonly devicePublicKey: string,
  ) {}

  async load(): Promise<CacheSnapshot | null> {
    try {
      const db = await openWithTimeout(this.dbName);
      if (this.closed) {
        db.close();
        return null;
      }
      db.onversionchange = () => this.close();
      this.db = db;
      const snapshot = parseCache(await readAll(db), this.devicePublicKey);
      // Nothing usable (another key's cache, an older version): start from empty, not on top of it.
      if (!snapshot) await this.clear(db);
      return snapshot;
    } catch {
      return null;
    }
  }

  write(delta: CacheDelta, identity: LinkedIdentity | null): Promise<void> {
    this.writes = this.writes.then(() => this.apply(delta, identity)).catch(() => undefined);
    return this.writes;
  }

  async destroy(): Promise<void> {
    this.close();
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(this.dbName);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }

  /** Stops all writes and releases the database, so that a wipe can delete it. */
  close(): void {
    this.closed = true;
    this.db?.close();
    this.db = null;
  }

  private async clear(db: IDBDatabase): Promise<void> {
    const tx = db.transaction(STORES, 'readwrite');
    for (const name of STORES) tx.objectStore(name).clear();
    await committed(tx);
  }

  private async apply(delta: CacheDelta, identity: LinkedIdentity | null): Promise<void> {
    const db = this.db;
    if (!db || this.closed) return;
    const tx = db.transaction(STORES, 'readwrite');
    const chats = tx.objectStore('chats');
    const messages = tx.objectStore('messages');
    for (const chat of delta.putChats) chats.put(chat);
    for (const chatId of delta.deleteChats) chats.delete(chatId);
    for (const { chatId, belowSeq } of delta.trims) {
      messages.delete(IDBKeyRange.bound([chatId, 0], [chatId, belowSeq], false, true));
    }
    for (const m of delta.putMessages) messages.put(m);
    tx.objectStore('meta').put(metaRecord(this.devicePublicKey, delta, identity), META_KEY);
    await committed(tx);
  }
}
