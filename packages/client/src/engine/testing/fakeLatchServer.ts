import {
  type AccountView,
  authMessage,
  type ChatView,
  ClientFrame,
  CloseCode,
  type ErrorPayload,
  type MessageView,
  PROTOCOL_VERSION,
  type RpcMethod,
  rpcMethods,
  type ServerFrame,
  toBase64Url,
} from '@latch/protocol';
import type { SocketTransport } from '../transport';
import { FakeConnection } from './fakeConnection';
import { fakeSignature } from './fakeSigner';

/** A handler may answer, throw an {@link RpcRefusal}, or return a promise the test settles. */
type Handler = (params: unknown, conn: FakeConnection) => unknown;

/** Thrown by a handler to answer `{ok: false, error}`. */
export class RpcRefusal extends Error {
  constructor(readonly payload: ErrorPayload) {
    super(payload.message);
  }
}

interface StoredMessage {
  message: MessageView;
  syncId: number;
}

let idCounter = 0;
/** Ids that pass the protocol's `Id` schema. */
export function fakeId(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${String(idCounter).padStart(8, '0')}`;
}

/**
 * An in-memory Latch server for engine tests (like tldraw's TestSocketPair): it speaks the real
 * frames (challenge → auth → ready, req/res, message, receipts, resync, pong), checks the client's
 * frames with the protocol's schemas, holds chats and messages with per-chat seqs and global sync
 * ids, and lets a test hold, drop, freeze or reorder anything. No sockets, no sleeps.
 */
export class FakeLatchServer implements SocketTransport {
  readonly connections: FakeConnection[] = [];
  readonly chats = new Map<string, { view: ChatView; messages: MessageView[] }>();
  readonly log: StoredMessage[] = [];
  /** Requests received, in order (method and params). */
  readonly requests: Array<{ method: RpcMethod; params: unknown }> = [];
  /** Overrides of the default RPC behaviour, by method. */
  readonly handlers = new Map<RpcMethod, Handler>();
  /** Set to refuse new sockets with this close code (1006: unreachable; 4403: logged out). */
  refuse: { code: number; reason: string } | null = null;
  /** False: the server does not answer pings (a half-dead server). */
  answerPings = true;
  private nextSyncId = 100;
  private readonly byClientMsgId = new Map<string, MessageView>();

  constructor(
    readonly account: AccountView,
    readonly deviceId: string,
    readonly devicePublicKey: string,
  ) {}

  /** The socket the client holds now (the last one opened and not closed). */
  get live(): FakeConnection | undefined {
    return this.connections.filter((c) => !c.closed).at(-1);
  }

  open: SocketTransport['open'] = (url, handlers) => {
    const conn = new FakeConnection(url, handlers, (c, frame) => this.onFrame(c, frame));
    this.connections.push(conn);
    if (this.refuse) {
      conn.drop(this.refuse.code, this.refuse.reason);
      return conn.clientSide;
    }
    conn.opened();
    conn.nonce = toBase64Url(new Uint8Array(32).fill(this.connections.length % 256));
    conn.push({ type: 'challenge', nonce: conn.nonce, protocolVersion: PROTOCOL_VERSION });
    return conn.clientSide;
  };

  /** Pushes a frame to every authenticated socket. */
  broadcast(frame: ServerFrame): void {
    for (const conn of this.connections) if (conn.authed) conn.push(frame);
  }

  addChat(view: ChatView): void {
    this.chats.set(view.id, { view, messages: [] });
  }

  /**
   * Stores a message as the server would (next seq in its chat, next sync id) and, unless told
   * otherwise, sends it live to every socket. Returns what a `message` frame would carry.
   */
  store(
    chatId: string,
    senderAccountId: string,
    text: string,
    opts: { live?: boolean; clientMsgId?: string; senderDeviceId?: string } = {},
  ): StoredMessage {
    const chat = this.chats.get(chatId);
    if (!chat) throw new Error(`no chat ${chatId}`);
    const seq = chat.view.lastSeq + 1;
    const message: MessageView = {
      id: fakeId('message'),
      chatId,
      seq,
      senderAccountId,
      senderDeviceId: opts.senderDeviceId ?? fakeId('device'),
      clientMsgId: opts.clientMsgId ?? fakeId('client'),
      text,
      sentAt: Date.now(),
    };
    const syncId = ++this.nextSyncId;
    chat.messages.push(message);
    chat.view = { ...chat.view, lastSeq: seq, lastMessage: message, updatedAt: message.sentAt };
    const stored = { message, syncId };
    this.log.push(stored);
    if (opts.live !== false) this.broadcast({ type: 'message', message, syncId });
    return stored;
  }

  private onFrame(conn: FakeConnection, raw: unknown): void {
    const parsed = ClientFrame.safeParse(raw);
    if (!parsed.success) {
      conn.drop(CloseCode.badFrame, 'Invalid frame');
      return;
    }
    const frame = parsed.data;
    if (!conn.authed) {
      this.authenticate(conn, frame);
      return;
    }
    if (frame.type === 'ping') {
      if (this.answerPings) conn.push({ type: 'pong' });
    } else if (frame.type === 'auth') {
      conn.drop(CloseCode.badFrame, 'Already authenticated');
    } else {
      this.requests.push({ method: frame.method, params: frame.params });
      void this.answer(conn, frame.id, frame.method, frame.params);
    }
  }

  private authenticate(conn: FakeConnection, frame: ClientFrame): void {
    const expected = fakeSignature(this.devicePublicKey, authMessage(conn.nonce));
    if (frame.type !== 'auth') conn.drop(CloseCode.unauthorized, 'Authenticate first');
    else if (frame.signature !== expected) conn.drop(CloseCode.unauthorized, 'Bad signature');
    else {
      conn.authed = true;
      conn.push({ type: 'ready', account: this.account, deviceId: this.deviceId, serverTime: Date.now() });
    }
  }

  private async answer(conn: FakeConnection, id: string, method: RpcMethod, raw: unknown): Promise<void> {
    const params = rpcMethods[method].params.safeParse(raw ?? {});
    if (!params.success) {
      conn.push({ type: 'res', id, ok: false, error: { code: 'validation_failed', message: 'bad params' } });
      return;
    }
    try {
      const handler = this.handlers.get(method) ?? ((p: unknown) => this.defaultAnswer(method, p));
      const result = await handler(params.data, conn);
      conn.push({ type: 'res', id, ok: true, result });
    } catch (err) {
      const error: ErrorPayload =
        err instanceof RpcRefusal ? err.payload : { code: 'internal', message: 'fake server failed' };
      conn.push({ type: 'res', id, ok: false, error });
    }
  }

  /** What the real server answers, reduced to what the engine uses. */
  defaultAnswer(method: RpcMethod, raw: unknown): unknown {
    switch (method) {
      case 'chats.list':
        return { chats: [...this.chats.values()].map((c) => c.view) };
      case 'messages.sync': {
        const p = rpcMethods[method].params.parse(raw);
        return this.sync(p.afterId, p.limit);
      }
      case 'messages.history': {
        const p = rpcMethods[method].params.parse(raw);
        return { messages: this.history(p.chatId, p.beforeSeq, p.limit) };
      }
      case 'messages.send': {
        const p = rpcMethods[method].params.parse(raw);
        return this.send(p.chatId, p.clientMsgId, p.text);
      }
      case 'messages.read':
      case 'typing.set':
        return {};
      case 'presence.get': {
        const p = rpcMethods[method].params.parse(raw);
        return { presence: p.accountIds.map((accountId) => ({ accountId, online: true, lastSeenAt: null })) };
      }
      case 'account.get':
        return this.account;
      default:
        throw new RpcRefusal({ code: 'not_found', message: `fake server has no ${method}` });
    }
  }

  private sync(afterId: number, limit: number) {
    const after = this.log.filter((s) => s.syncId > afterId).sort((a, b) => a.syncId - b.syncId);
    const page = after.slice(0, limit);
    const last = page.at(-1);
    return {
      messages: page.map((s) => s.message),
      nextAfterId: last ? last.syncId : afterId,
      done: after.length <= limit,
    };
  }

  private history(chatId: string, beforeSeq: number | undefined, limit: number): MessageView[] {
    const all = this.chats.get(chatId)?.messages ?? [];
    const below = all.filter((m) => beforeSeq === undefined || m.seq < beforeSeq);
    return below.slice(-limit);
  }

  /** Idempotent per clientMsgId (MSG-2): a retry gets the stored message back, nothing new. */
  private send(chatId: string, clientMsgId: string, text: string): MessageView {
    const known = this.byClientMsgId.get(clientMsgId);
    if (known) return known;
    const { message } = this.store(chatId, this.account.id, text, {
      clientMsgId,
      senderDeviceId: this.deviceId,
    });
    this.byClientMsgId.set(clientMsgId, message);
    return message;
  }
}
