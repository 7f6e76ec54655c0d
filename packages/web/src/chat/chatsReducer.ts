import type { ChatView, MessageView } from '@latch/protocol';

/** A message this browser sent that the server has not confirmed yet (shown with a clock). */
export interface PendingMessage {
  clientMsgId: string;
  chatId: string;
  text: string;
  createdAt: number;
  status: 'sending' | 'failed';
}

export interface ChatMessages {
  /** Confirmed messages keyed by seq: a message that arrives twice lands on the same key. */
  bySeq: Record<number, MessageView>;
  pending: PendingMessage[];
  /** True once the latest page of history was fetched. */
  loaded: boolean;
  /** False once the server returned a short page: nothing older exists. */
  hasOlder: boolean;
}

export interface ChatsState {
  status: 'loading' | 'ready' | 'unavailable';
  chats: Record<string, ChatView>;
  messages: Record<string, ChatMessages>;
  /** chatId → accountId → time (ms) after which the indicator is dropped if no update came. */
  typing: Record<string, Record<string, number>>;
}

export type ChatsAction =
  | { type: 'chats_loaded'; chats: ChatView[] }
  | { type: 'chats_failed' }
  | { type: 'chat_upserted'; chat: ChatView }
  | { type: 'history_loaded'; chatId: string; messages: MessageView[]; requested: number; older: boolean }
  | { type: 'message_received'; message: MessageView; selfAccountId: string }
  | { type: 'message_queued'; pending: PendingMessage }
  | { type: 'message_failed'; chatId: string; clientMsgId: string }
  | { type: 'message_retried'; chatId: string; clientMsgId: string }
  | { type: 'read_marked'; chatId: string; seq: number }
  | { type: 'typing_changed'; chatId: string; accountId: string; typing: boolean; until: number }
  | { type: 'typing_expired'; now: number };

export const initialChatsState: ChatsState = { status: 'loading', chats: {}, messages: {}, typing: {} };

const emptyMessages: ChatMessages = { bySeq: {}, pending: [], loaded: false, hasOlder: true };

/**
 * Combines two views of one chat. Positions only move forward, so a late or reordered frame
 * can never take back a message, a read or a delivery.
 */
export function mergeChat(existing: ChatView | undefined, incoming: ChatView): ChatView {
  if (!existing) return incoming;
  const newer = existing.lastSeq > incoming.lastSeq ? existing : incoming;
  return {
    ...incoming,
    lastSeq: newer.lastSeq,
    lastMessage: newer.lastMessage,
    updatedAt: Math.max(existing.updatedAt, incoming.updatedAt),
    readSeq: Math.max(existing.readSeq, incoming.readSeq),
    othersReadSeq: Math.max(existing.othersReadSeq, incoming.othersReadSeq),
    othersDeliveredSeq: Math.max(existing.othersDeliveredSeq, incoming.othersDeliveredSeq),
  };
}

/** Adds confirmed messages by seq and drops the pending copies they confirm (by clientMsgId). */
export function mergeMessages(current: ChatMessages, incoming: MessageView[]): ChatMessages {
  if (incoming.length === 0) return current;
  const bySeq = { ...current.bySeq };
  const confirmed = new Set<string>();
  for (const m of incoming) {
    bySeq[m.seq] = m;
    confirmed.add(m.clientMsgId);
  }
  return { ...current, bySeq, pending: current.pending.filter((p) => !confirmed.has(p.clientMsgId)) };
}

function withMessages(state: ChatsState, chatId: string, next: ChatMessages): ChatsState {
  return { ...state, messages: { ...state.messages, [chatId]: next } };
}

function withoutTyping(state: ChatsState, chatId: string, accountId: string): ChatsState['typing'] {
  const inChat = state.typing[chatId];
  if (!inChat || !(accountId in inChat)) return state.typing;
  const { [accountId]: _gone, ...rest } = inChat;
  return { ...state.typing, [chatId]: rest };
}

function onMessage(state: ChatsState, message: MessageView, selfAccountId: string): ChatsState {
  const { chatId } = message;
  const next = withMessages(state, chatId, mergeMessages(state.messages[chatId] ?? emptyMessages, [message]));
  const chat = state.chats[chatId];
  const typing = withoutTyping(state, chatId, message.senderAccountId);
  if (!chat) return { ...next, typing };
  const own = message.senderAccountId === selfAccountId;
  const updated: ChatView = {
    ...chat,
    ...(message.seq > chat.lastSeq
      ? { lastSeq: message.seq, lastMessage: message, updatedAt: Math.max(chat.updatedAt, message.sentAt) }
      : {}),
    // What this account wrote (here or on the phone) is read by definition.
    readSeq: own ? Math.max(chat.readSeq, message.seq) : chat.readSeq,
  };
  return { ...next, typing, chats: { ...state.chats, [chatId]: updated } };
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

/** Chats, their messages and typing indicators, merged from RPC results and live events. */
export function chatsReducer(state: ChatsState, action: ChatsAction): ChatsState {
  switch (action.type) {
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
    case 'history_loaded': {
      const current = state.messages[action.chatId] ?? emptyMessages;
      const merged = mergeMessages(current, action.messages);
      const short = action.messages.length < action.requested;
      const hasOlder = action.older || !current.loaded ? !short : current.hasOlder;
      return withMessages(state, action.chatId, { ...merged, loaded: true, hasOlder });
    }
    case 'message_received':
      return onMessage(state, action.message, action.selfAccountId);
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
      return updatePending(state, action.chatId, action.clientMsgId, 'sending');
    case 'read_marked': {
      const chat = state.chats[action.chatId];
      if (!chat || chat.readSeq >= action.seq) return state;
      return { ...state, chats: { ...state.chats, [action.chatId]: { ...chat, readSeq: action.seq } } };
    }
    case 'typing_changed': {
      if (!action.typing) return { ...state, typing: withoutTyping(state, action.chatId, action.accountId) };
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
