import type { ChatView, MessageView } from '@latch/protocol';
import { applyReceipts, type ReceiptsFrame } from '../../receipts';
import {
  advanceChat,
  byChat,
  type ChatMessages,
  emptyMessages,
  keepNewest,
  mergeChat,
  mergeMessages,
  type PendingMessage,
} from './chatMerge';

export type { ChatMessages, PendingMessage } from './chatMerge';
export { mergeChat, mergeMessages } from './chatMerge';

/**
 * Where catching up stands (MSG-1). `running` pages through `messages.sync` from the cursor; only
 * `live` lets a live `message` frame move the cursor, so the cursor never passes a message that a
 * catch-up still has to bring (a connection lost mid-catch-up restarts from a safe place).
 */
export type CatchUp = { kind: 'offline' } | { kind: 'running'; run: number } | { kind: 'live' };

export interface ChatsState {
  status: 'loading' | 'ready' | 'unavailable';
  chats: Record<string, ChatView>;
  messages: Record<string, ChatMessages>;
  /** chatId → accountId → time (ms) after which the indicator is dropped if no update came. */
  typing: Record<string, Record<string, number>>;
  /** `syncId` of the last message applied in order: the next catch-up starts after it. */
  cursor: number;
  catchUp: CatchUp;
  /** How many catch-ups were started: pages of an abandoned one are ignored. */
  runs: number;
}

/** What the local cache gives back when a tab reopens. */
export interface ChatsSeed {
  chats: ChatView[];
  messages: MessageView[];
  pending: PendingMessage[];
  cursor: number;
}

export type ChatsAction =
  | { type: 'connected' }
  | { type: 'disconnected' }
  | {
      type: 'sync_page';
      run: number;
      messages: MessageView[];
      nextAfterId: number;
      selfAccountId: string;
      /** Chats other than `openChatId` keep only this many messages in memory. */
      keep: number;
      openChatId: string | null;
    }
  | { type: 'caught_up'; run: number }
  | { type: 'chats_loaded'; chats: ChatView[] }
  | { type: 'chats_failed' }
  | { type: 'chat_upserted'; chat: ChatView }
  | { type: 'receipts_moved'; receipts: ReceiptsFrame }
  | { type: 'chat_removed'; chatId: string }
  | { type: 'history_loaded'; chatId: string; messages: MessageView[]; older: boolean }
  | { type: 'older_requested'; chatId: string }
  | { type: 'older_failed'; chatId: string }
  | { type: 'message_received'; message: MessageView; selfAccountId: string; syncId?: number }
  | { type: 'message_queued'; pending: PendingMessage }
  | { type: 'message_failed'; chatId: string; clientMsgId: string }
  | { type: 'message_retried'; chatId: string; clientMsgId: string }
  | { type: 'read_marked'; chatId: string; seq: number }
  | { type: 'typing_changed'; chatId: string; accountId: string; typing: boolean; until: number }
  | { type: 'typing_expired'; now: number };

export const initialChatsState: ChatsState = {
  status: 'loading',
  chats: {},
  messages: {},
  typing: {},
  cursor: 0,
  catchUp: { kind: 'offline' },
  runs: 0,
};

/** The state a reopened tab starts from: what the cache held, shown before the socket is ready. */
export function seededChatsState(seed: ChatsSeed | null): ChatsState {
  if (!seed) return initialChatsState;
  const chats: Record<string, ChatView> = {};
  for (const chat of seed.chats) chats[chat.id] = chat;
  const messages: Record<string, ChatMessages> = {};
  for (const [chatId, list] of byChat(seed.messages)) {
    messages[chatId] = mergeMessages(emptyMessages, list);
  }
  for (const p of seed.pending) {
    const current = messages[p.chatId] ?? emptyMessages;
    messages[p.chatId] = { ...current, pending: [...current.pending, p] };
  }
  const status = seed.chats.length > 0 ? 'ready' : 'loading';
  return { ...initialChatsState, status, chats, messages, cursor: seed.cursor };
}

function withMessages(state: ChatsState, chatId: string, next: ChatMessages): ChatsState {
  return { ...state, messages: { ...state.messages, [chatId]: next } };
}

function withoutTyping(
  typing: ChatsState['typing'],
  chatId: string,
  accountId: string,
): ChatsState['typing'] {
  const inChat = typing[chatId];
  if (!inChat || !(accountId in inChat)) return typing;
  const { [accountId]: _gone, ...rest } = inChat;
  return { ...typing, [chatId]: rest };
}

/** Merges confirmed messages of any chats: by (chatId, seq), chat views forward, typists quiet. */
function applyMessages(
  state: ChatsState,
  incoming: MessageView[],
  selfAccountId: string,
  trim: { keep: number; openChatId: string | null } | null = null,
): ChatsState {
  if (incoming.length === 0) return state;
  const messages = { ...state.messages };
  const chats = { ...state.chats };
  let typing = state.typing;
  for (const [chatId, list] of byChat(incoming)) {
    const merged = mergeMessages(messages[chatId] ?? emptyMessages, list);
    messages[chatId] = trim && chatId !== trim.openChatId ? keepNewest(merged, trim.keep) : merged;
    const chat = chats[chatId];
    if (chat) chats[chatId] = advanceChat(chat, list, selfAccountId);
    for (const m of list) typing = withoutTyping(typing, chatId, m.senderAccountId);
  }
  return { ...state, messages, chats, typing };
}

function updatePending(
  state: ChatsState,
  chatId: string,
  clientMsgId: string,
  status: PendingMessage['status'],
): ChatsState {
  const current = state.messages[chatId];
  if (!current) return state;
  const pending = current.pending.map((p) => (p.clientMsgId === clientMsgId ? { ...p, status } : p));
  return withMessages(state, chatId, { ...current, pending });
}

function setLoadingOlder(state: ChatsState, chatId: string, loadingOlder: boolean): ChatsState {
  const current = state.messages[chatId] ?? emptyMessages;
  if (current.loadingOlder === loadingOlder) return state;
  return withMessages(state, chatId, { ...current, loadingOlder });
}

function expireTyping(state: ChatsState, now: number): ChatsState {
  let changed = false;
  const typing: ChatsState['typing'] = {};
  for (const [chatId, inChat] of Object.entries(state.typing)) {
    const kept = Object.entries(inChat).filter(([, until]) => until > now);
    if (kept.length !== Object.keys(inChat).length) changed = true;
    if (kept.length > 0) typing[chatId] = Object.fromEntries(kept);
  }
  return changed ? { ...state, typing } : state;
}

function removeChat(state: ChatsState, chatId: string): ChatsState {
  const { [chatId]: _chat, ...chats } = state.chats;
  const { [chatId]: _messages, ...messages } = state.messages;
  const { [chatId]: _typing, ...typing } = state.typing;
  return { ...state, chats, messages, typing };
}

type CatchUpAction = Extract<
  ChatsAction,
  { type: 'connected' | 'disconnected' | 'sync_page' | 'caught_up' | 'message_received' }
>;

/** Catching up: the connection's lifecycle, the pages of `messages.sync`, and live messages. */
function catchUpReducer(state: ChatsState, action: CatchUpAction): ChatsState {
  switch (action.type) {
    case 'connected':
      return { ...state, runs: state.runs + 1, catchUp: { kind: 'running', run: state.runs + 1 } };
    case 'disconnected':
      return state.catchUp.kind === 'offline' ? state : { ...state, catchUp: { kind: 'offline' } };
    case 'sync_page': {
      if (state.catchUp.kind !== 'running' || state.catchUp.run !== action.run) return state;
      const trim = { keep: action.keep, openChatId: action.openChatId };
      const next = applyMessages(state, action.messages, action.selfAccountId, trim);
      return { ...next, cursor: Math.max(state.cursor, action.nextAfterId) };
    }
    case 'caught_up':
      if (state.catchUp.kind !== 'running' || state.catchUp.run !== action.run) return state;
      return { ...state, catchUp: { kind: 'live' } };
    case 'message_received': {
      const next = applyMessages(state, [action.message], action.selfAccountId);
      const advance = action.syncId !== undefined && state.catchUp.kind === 'live';
      return advance ? { ...next, cursor: Math.max(next.cursor, action.syncId ?? 0) } : next;
    }
    default: {
      const missing: never = action;
      throw new Error(`Unhandled catch-up action: ${JSON.stringify(missing)}`);
    }
  }
}

/** Chats, their messages, typing indicators and the sync cursor, merged from RPC results and events. */
export function chatsReducer(state: ChatsState, action: ChatsAction): ChatsState {
  switch (action.type) {
    case 'connected':
    case 'disconnected':
    case 'sync_page':
    case 'caught_up':
    case 'message_received':
      return catchUpReducer(state, action);
    case 'chats_loaded': {
      const chats: Record<string, ChatView> = {};
      for (const chat of action.chats) chats[chat.id] = mergeChat(state.chats[chat.id], chat);
      return { ...state, status: 'ready', chats };
    }
    case 'chats_failed':
      // Keep what is shown; only a first load that fails leaves the list empty.
      return state.status === 'loading' ? { ...state, status: 'unavailable' } : state;
    case 'chat_upserted':
      return {
        ...state,
        chats: { ...state.chats, [action.chat.id]: mergeChat(state.chats[action.chat.id], action.chat) },
      };
    case 'receipts_moved': {
      const chat = state.chats[action.receipts.chatId];
      if (!chat) return state;
      const moved = applyReceipts(chat, action.receipts);
      return moved === chat ? state : { ...state, chats: { ...state.chats, [chat.id]: moved } };
    }
    case 'chat_removed':
      return removeChat(state, action.chatId);
    case 'history_loaded': {
      const current = state.messages[action.chatId] ?? emptyMessages;
      const merged = mergeMessages(current, action.messages);
      return withMessages(state, action.chatId, action.older ? { ...merged, loadingOlder: false } : merged);
    }
    case 'older_requested':
      return setLoadingOlder(state, action.chatId, true);
    case 'older_failed':
      return setLoadingOlder(state, action.chatId, false);
    case 'message_queued': {
      const current = state.messages[action.pending.chatId] ?? emptyMessages;
      if (current.pending.some((p) => p.clientMsgId === action.pending.clientMsgId)) return state;
      return withMessages(state, action.pending.chatId, {
        ...current,
        pending: [...current.pending, action.pending],
      });
    }
    case 'message_failed':
      return updatePending(state, action.chatId, action.clientMsgId, 'failed');
    case 'message_retried':
      return updatePending(state, action.chatId, action.clientMsgId, 'pending');
    case 'read_marked': {
      const chat = state.chats[action.chatId];
      if (!chat || chat.readSeq >= action.seq) return state;
      return { ...state, chats: { ...state.chats, [action.chatId]: { ...chat, readSeq: action.seq } } };
    }
    case 'typing_changed': {
      if (!action.typing)
        return { ...state, typing: withoutTyping(state.typing, action.chatId, action.accountId) };
      const inChat = { ...state.typing[action.chatId], [action.accountId]: action.until };
      return { ...state, typing: { ...state.typing, [action.chatId]: inChat } };
    }
    case 'typing_expired':
      return expireTyping(state, action.now);
    default: {
      const missing: never = action;
      throw new Error(`Unhandled chats action: ${JSON.stringify(missing)}`);
    }
  }
}
