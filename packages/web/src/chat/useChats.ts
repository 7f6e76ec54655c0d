import { ApiError, randomBase64Url, type SocketState } from '@latch/client';
import type { ChatView, RpcResult, ServerEventFrame } from '@latch/protocol';
import { useEffect, useEffectEvent, useReducer, useRef } from 'react';
import type { Connection } from '../app/Connection';
import { newestSeq, oldestSeq } from './chatSelectors';
import { type ChatsState, chatsReducer, initialChatsState, type PendingMessage } from './chatsReducer';

const PAGE_SIZE = 50;
/** On reconnect, fetch at most this many pages to close a gap before giving up on the middle. */
const MAX_CATCH_UP_PAGES = 20;
/** A typing indicator without a follow-up disappears after this long. */
const TYPING_TTL_MS = 6_000;

export interface ChatsApi {
  state: ChatsState;
  /** Fetches the newest page of a chat, then older pages back to what is already loaded. */
  loadLatest: (chatId: string) => void;
  loadOlder: (chatId: string) => void;
  send: (chatId: string, text: string) => void;
  retry: (pending: PendingMessage) => void;
  markRead: (chatId: string, seq: number) => void;
  setTyping: (chatId: string, typing: boolean) => void;
  openDirect: (phoneNumber: string) => Promise<ChatView>;
}

/** Chats and messages over the session socket: RPC results and live events into one reducer. */
export function useChats(connection: Connection, selfAccountId: string, socketState: SocketState): ChatsApi {
  const [state, dispatch] = useReducer(chatsReducer, initialChatsState);
  const inFlight = useRef(new Set<string>());
  const socket = connection.socket;

  const loadChats = () => {
    socket.request('chats.list', {}).then(
      ({ chats }) => dispatch({ type: 'chats_loaded', chats }),
      () => dispatch({ type: 'chats_failed' }),
    );
  };

  const loadLatest = async (chatId: string) => {
    const known = newestSeq(state.messages[chatId]);
    let beforeSeq: number | undefined;
    for (let page = 0; page < MAX_CATCH_UP_PAGES; page++) {
      let messages: RpcResult<'messages.history'>['messages'];
      try {
        ({ messages } = await socket.request('messages.history', { chatId, limit: PAGE_SIZE, beforeSeq }));
      } catch {
        return;
      }
      dispatch({ type: 'history_loaded', chatId, messages, requested: PAGE_SIZE, older: page > 0 });
      const lowest = messages.reduce((min, m) => Math.min(min, m.seq), Number.POSITIVE_INFINITY);
      // Stop once this page reaches what was loaded before (no gap), or the start of the chat.
      if (messages.length < PAGE_SIZE || known === 0 || lowest <= known + 1) return;
      beforeSeq = lowest;
    }
  };

  const loadOlder = (chatId: string) => {
    const oldest = oldestSeq(state.messages[chatId]);
    if (oldest === null || oldest <= 1) return;
    socket.request('messages.history', { chatId, beforeSeq: oldest, limit: PAGE_SIZE }).then(
      ({ messages }) =>
        dispatch({ type: 'history_loaded', chatId, messages, requested: PAGE_SIZE, older: true }),
      () => undefined,
    );
  };

  const deliver = (pending: PendingMessage) => {
    if (inFlight.current.has(pending.clientMsgId)) return;
    inFlight.current.add(pending.clientMsgId);
    const { chatId, clientMsgId, text } = pending;
    socket
      .request('messages.send', { chatId, clientMsgId, text })
      .then(
        (message) => dispatch({ type: 'message_received', message, selfAccountId }),
        (error: unknown) => {
          // Lost connection: stays pending and goes again on the next `ready` (same clientMsgId, no duplicate).
          const offline =
            error instanceof ApiError && error.code === 'network' && socket.current.kind !== 'ready';
          if (!offline) dispatch({ type: 'message_failed', chatId, clientMsgId });
        },
      )
      .finally(() => inFlight.current.delete(clientMsgId));
  };

  const onEvent = useEffectEvent((frame: ServerEventFrame) => {
    switch (frame.type) {
      case 'message':
        dispatch({ type: 'message_received', message: frame.message, selfAccountId });
        if (!state.chats[frame.message.chatId]) loadChats();
        return;
      case 'chat':
        dispatch({ type: 'chat_upserted', chat: frame.chat });
        return;
      case 'typing':
        if (frame.accountId === selfAccountId) return;
        dispatch({
          type: 'typing_changed',
          chatId: frame.chatId,
          accountId: frame.accountId,
          typing: frame.typing,
          until: Date.now() + TYPING_TTL_MS,
        });
        return;
      default:
        return;
    }
  });
  useEffect(() => connection.subscribeEvents((frame) => onEvent(frame)), [connection]);

  // Every `ready` (first connect and each reconnect): refresh the list, resend what is pending.
  const onReady = useEffectEvent(() => {
    loadChats();
    for (const messages of Object.values(state.messages)) {
      for (const p of messages.pending) if (p.status === 'sending') deliver(p);
    }
  });
  useEffect(() => {
    if (socketState.kind === 'ready') onReady();
  }, [socketState]);

  useTypingExpiry(state, dispatch);

  return {
    state,
    loadLatest: (chatId) => void loadLatest(chatId),
    loadOlder,
    send: (chatId, text) => {
      const pending: PendingMessage = {
        clientMsgId: randomBase64Url(12),
        chatId,
        text,
        createdAt: Date.now(),
        status: 'sending',
      };
      dispatch({ type: 'message_queued', pending });
      deliver(pending);
    },
    retry: (pending) => {
      dispatch({ type: 'message_retried', chatId: pending.chatId, clientMsgId: pending.clientMsgId });
      deliver(pending);
    },
    markRead: (chatId, seq) => {
      dispatch({ type: 'read_marked', chatId, seq });
      socket.request('messages.read', { chatId, seq }).catch(() => undefined);
    },
    setTyping: (chatId, typing) => {
      socket.request('typing.set', { chatId, typing }).catch(() => undefined);
    },
    openDirect: async (phoneNumber) => {
      const chat = await socket.request('chats.openDirect', { phoneNumber });
      dispatch({ type: 'chat_upserted', chat });
      return chat;
    },
  };
}

/** Drops typing indicators whose sender went quiet without saying "stopped". */
function useTypingExpiry(
  state: ChatsState,
  dispatch: (a: { type: 'typing_expired'; now: number }) => void,
): void {
  useEffect(() => {
    let earliest = Number.POSITIVE_INFINITY;
    for (const inChat of Object.values(state.typing)) {
      for (const until of Object.values(inChat)) earliest = Math.min(earliest, until);
    }
    if (earliest === Number.POSITIVE_INFINITY) return;
    const timer = setTimeout(
      () => dispatch({ type: 'typing_expired', now: Date.now() }),
      earliest - Date.now() + 50,
    );
    return () => clearTimeout(timer);
  }, [state.typing, dispatch]);
}
