import type {
  ChatView,
  ClientApp,
  PresenceView,
  RpcMethod,
  RpcParams,
  RpcResult,
  ServerEventFrame,
} from '@latch/protocol';
import type { DeviceSigner } from '../deviceKey';
import { cacheDelta } from './cache/cacheDelta';
import type { LocalCache } from './cache/localCache';
import { Connection } from './connection';
import type { ConnectionState, ConnectionTiming } from './connectionState';
import type { LinkedIdentity } from './identity';
import { performLogout, type WipeHooks } from './logout';
import { Outbox, type SendRefusal } from './outbox';
import { Store } from './store';
import type { PendingMessage } from './sync/chatMerge';
import { ChatSync } from './sync/chatSync';
import { type ChatsState, initialChatsState, seededChatsState } from './sync/chatsReducer';
import { DEFAULT_SYNC_TIMING, type SyncTiming } from './sync/syncTiming';
import type { HttpTransport, NetworkMonitor, SocketTransport } from './transport';

export interface EngineOptions {
  app: ClientApp;
  /** The server's http(s) origin, from configuration (the page's own origin in a browser). */
  origin: string;
  signer: DeviceSigner;
  sockets: SocketTransport;
  http: HttpTransport;
  cache: LocalCache;
  /** The device id known before any `ready` (from linking): a wipe report can then be signed early. */
  deviceId?: string | null;
  network?: NetworkMonitor;
  wipe?: WipeHooks;
  timing?: Partial<ConnectionTiming>;
  syncTiming?: Partial<SyncTiming>;
  random?: () => number;
  newClientMsgId?: () => string;
}

/** Where a wipe stands: `done` after a logout has deleted everything this device held. */
export type WipeState = 'none' | 'wiping' | 'done';

/** Everything a view renders, as one immutable snapshot (ENG-1). */
export interface EngineSnapshot {
  connection: ConnectionState;
  /** From the last `ready`, or from the cache before it. */
  identity: LinkedIdentity | null;
  chats: ChatsState;
  /** Online now / last seen, per account asked about (MSG-5). */
  presence: Readonly<Record<string, PresenceView>>;
  /** False until the local cache was read: a reload shows cached chats as soon as it is true. */
  cacheLoaded: boolean;
  wipe: WipeState;
}

/** The cache keeps this many of each chat's newest messages. */
export const CACHE_KEEP_PER_CHAT = 200;
/** Changes reach the cache at most this often (a burst of messages is one transaction)… */
export const CACHE_WRITE_EVERY_MS = 300;

/**
 * One Latch device, without pixels (DESIGN §9): the connection, sync from cursors, the local cache,
 * the outbox, logout and wipe. Views subscribe to it (`useSyncExternalStore(engine.subscribe,
 * engine.getSnapshot)`) and call its methods; they never touch a socket.
 */
export class LatchEngine {
  readonly connection: Connection;
  private readonly store: Store<EngineSnapshot>;
  private readonly chats = new Store<ChatsState>(initialChatsState);
  private readonly sync: ChatSync;
  private readonly outbox: Outbox;
  private identity: LinkedIdentity | null = null;
  private written: ChatsState = initialChatsState;
  private writeTimer: ReturnType<typeof setTimeout> | null = null;
  private wiping: Promise<void> | null = null;
  private readonly unsubscribers: Array<() => void> = [];

  readonly subscribe: Store<EngineSnapshot>['subscribe'];
  readonly getSnapshot: Store<EngineSnapshot>['getSnapshot'];

  constructor(private readonly opts: EngineOptions) {
    this.connection = new Connection({
      app: opts.app,
      signer: opts.signer,
      origin: opts.origin,
      sockets: opts.sockets,
      http: opts.http,
      ...(opts.network ? { network: opts.network } : {}),
      ...(opts.timing ? { timing: opts.timing } : {}),
      ...(opts.random ? { random: opts.random } : {}),
    });
    this.store = new Store<EngineSnapshot>({
      connection: this.connection.state,
      identity: null,
      chats: initialChatsState,
      presence: {},
      cacheLoaded: false,
      wipe: 'none',
    });
    this.subscribe = this.store.subscribe;
    this.getSnapshot = this.store.getSnapshot;
    const selfAccountId = () => this.identity?.account.id ?? null;
    this.outbox = new Outbox({
      connection: this.connection,
      state: this.chats,
      dispatch: (action) => this.sync.dispatch(action),
      selfAccountId,
      ...(opts.newClientMsgId ? { newClientMsgId: opts.newClientMsgId } : {}),
    });
    this.sync = new ChatSync({
      connection: this.connection,
      state: this.chats,
      selfAccountId,
      timing: { ...DEFAULT_SYNC_TIMING, ...opts.syncTiming },
      onLive: () => void this.outbox.flush(),
    });
  }

  /** Reads the cache (the snapshot shows it at once), then connects. */
  async start(): Promise<void> {
    const snapshot = await this.opts.cache.load();
    if (this.wiping || this.connection.state.kind === 'closed') return;
    if (snapshot) {
      this.identity = snapshot.identity;
      this.chats.set(seededChatsState(snapshot));
      this.written = this.chats.getSnapshot();
    }
    this.patch({ identity: this.identity, chats: this.chats.getSnapshot(), cacheLoaded: true });
    this.unsubscribers.push(this.chats.subscribe(() => this.onChats()));
    this.unsubscribers.push(this.connection.subscribe(() => this.onConnection()));
    this.unsubscribers.push(this.connection.onEvent((frame) => this.followEvent(frame)));
    this.sync.start();
    this.connection.start();
  }

  /** Typed request over the connection (ENG-5). */
  request<M extends RpcMethod>(
    method: M,
    params: RpcParams<M>,
    opts?: { timeoutMs?: number },
  ): Promise<RpcResult<M>> {
    return this.connection.request(method, params, opts);
  }

  /** Follows the server's events (devices.changed, security.event, link.prompt…). */
  onEvent(listener: (frame: ServerEventFrame) => void): () => void {
    return this.connection.onEvent(listener);
  }

  send(chatId: string, text: string): PendingMessage | SendRefusal {
    return this.outbox.send(chatId, text);
  }

  retry(chatId: string, clientMsgId: string): void {
    this.outbox.retry(chatId, clientMsgId);
  }

  setOpenChat(chatId: string | null): void {
    this.sync.setOpenChat(chatId);
  }

  loadOlder(chatId: string): void {
    this.sync.loadOlder(chatId);
  }

  markRead(chatId: string, seq: number): void {
    this.sync.dispatch({ type: 'read_marked', chatId, seq });
    this.request('messages.read', { chatId, seq }).catch(() => undefined);
  }

  setTyping(chatId: string, typing: boolean): void {
    this.request('typing.set', { chatId, typing }).catch(() => undefined);
  }

  /** Opens (or finds) the direct chat with a number and puts it in the list. */
  async openDirect(phoneNumber: string) {
    const chat = await this.request('chats.openDirect', { phoneNumber });
    this.sync.dispatch({ type: 'chat_upserted', chat });
    return chat;
  }

  /** MSG-4: each answer updates the list at once (the server's `chat` / `chat.removed` frames merge). */
  async createGroup(name: string, phoneNumbers: string[]) {
    return this.upsert(await this.request('chats.createGroup', { name, phoneNumbers }));
  }

  async addMembers(chatId: string, phoneNumbers: string[]) {
    return this.upsert(await this.request('chats.addMembers', { chatId, phoneNumbers }));
  }

  async removeMember(chatId: string, accountId: string) {
    return this.upsert(await this.request('chats.removeMember', { chatId, accountId }));
  }

  async renameGroup(chatId: string, name: string) {
    return this.upsert(await this.request('chats.rename', { chatId, name }));
  }

  async leaveGroup(chatId: string): Promise<void> {
    await this.request('chats.leave', { chatId });
    this.sync.dispatch({ type: 'chat_removed', chatId });
  }

  /** Online now or last seen (MSG-5) of one account; null when the server does not say. */
  async presenceOf(accountId: string): Promise<PresenceView | null> {
    await this.refreshPresence([accountId]);
    return this.store.getSnapshot().presence[accountId] ?? null;
  }

  async refreshPresence(accountIds: string[]): Promise<void> {
    if (accountIds.length === 0) return;
    const { presence } = await this.request('presence.get', { accountIds });
    const next = { ...this.store.getSnapshot().presence };
    for (const p of presence) next[p.accountId] = p;
    this.patch({ presence: next });
  }

  /** Writes what changed to the cache now (the page is being hidden or closed). */
  flushCache(): Promise<void> {
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.writeTimer = null;
    const next = this.chats.getSnapshot();
    if (next === this.written || this.wiping) return Promise.resolve();
    const delta = cacheDelta(this.written, next, CACHE_KEEP_PER_CHAT);
    this.written = next;
    return this.opts.cache.write(delta, this.identity);
  }

  /** "Log out" on this device: terminal `logged_out {reason: 'self'}`, then the wipe (ENG-6). */
  logout(): Promise<void> {
    this.connection.markLoggedOut('self');
    return this.wiping ?? Promise.resolve();
  }

  /** Resolves when a logout's wipe has finished (immediately when none started). */
  whenWiped(): Promise<void> {
    return this.wiping ?? Promise.resolve();
  }

  /**
   * Stops everything without wiping (page teardown); the cache keeps what it has. `flush: false`
   * when another tab has just wiped this origin: a last write would bring the deleted cache back.
   */
  close(opts: { flush?: boolean } = {}): void {
    if (opts.flush !== false) void this.flushCache();
    this.connection.close();
    this.dispose();
  }

  private dispose(): void {
    for (const off of this.unsubscribers.splice(0)) off();
    this.sync.dispose();
    this.outbox.dispose();
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.writeTimer = null;
  }

  private upsert(chat: ChatView): ChatView {
    this.sync.dispatch({ type: 'chat_upserted', chat });
    return chat;
  }

  private patch(change: Partial<EngineSnapshot>): void {
    this.store.update((current) => ({ ...current, ...change }));
  }

  private onChats(): void {
    const next = this.chats.getSnapshot();
    this.patch({ chats: next });
    if (this.wiping) return;
    // The outbox is written at once (a message typed offline must survive a reload); the rest batched.
    const outboxChanged = pendingChanged(this.written, next);
    if (outboxChanged) void this.flushCache();
    else if (!this.writeTimer)
      this.writeTimer = setTimeout(() => void this.flushCache(), CACHE_WRITE_EVERY_MS);
  }

  private onConnection(): void {
    const state = this.connection.state;
    if (state.kind === 'ready') {
      this.identity = { account: state.account, deviceId: state.deviceId };
      this.patch({ connection: state, identity: this.identity });
    } else this.patch({ connection: state });
    if (state.kind === 'logged_out' && !this.wiping) this.wiping = this.wipe(state.reason);
  }

  private followEvent(frame: ServerEventFrame): void {
    if (frame.type === 'account.changed' && this.identity) {
      this.identity = { ...this.identity, account: frame.account };
      this.patch({ identity: this.identity });
    }
  }

  private async wipe(reason: Extract<ConnectionState, { kind: 'logged_out' }>['reason']): Promise<void> {
    this.dispose();
    this.patch({ wipe: 'wiping' });
    await performLogout({
      app: this.opts.app,
      origin: this.opts.origin,
      http: this.opts.http,
      signer: this.opts.signer,
      deviceId: this.identity?.deviceId ?? this.opts.deviceId ?? null,
      cache: this.opts.cache,
      hooks: this.opts.wipe ?? {},
      reason,
    });
    this.chats.set(initialChatsState);
    this.identity = null;
    this.patch({ wipe: 'done', chats: initialChatsState, identity: null, presence: {} });
  }
}

function pendingChanged(before: ChatsState, after: ChatsState): boolean {
  const ids = new Set<string>([...Object.keys(before.messages), ...Object.keys(after.messages)]);
  for (const id of ids) if (before.messages[id]?.pending !== after.messages[id]?.pending) return true;
  return false;
}
