import { ApiError, randomBase64Url } from '@latch/client';
import type { ChatView, PresenceView, ServerEventFrame } from '@latch/protocol';
import { useEffect, useEffectEvent, useReducer, useRef } from 'react';
import type { Connection } from '../app/Connection';
import { hasOlderMessages, newestSeq, oldestSeq } from './chatSelectors';
import {
  type ChatsSeed,
  type ChatsState,
  chatsReducer,
  type PendingMessage,
  seededChatsState,
} from './chatsReducer';
import { type GroupActions, groupActions } from './groupActions';
import { LIVE_HOLE_DELAY_MS, PAGE_SIZE, useCatchUp } from './useCatchUp';

/** A typing indicator without a follow-up disappears after this long. */
const TYPING_TTL_MS = 6_000;

export interface ChatsApi extends GroupActions {
  state: ChatsState;
  /** Pages in the messages before the oldest one held (scrolling up). */
  loadOlder: (chatId: string) => void;
  send: (chatId: string, text: string) => void;
  retry: (pending: PendingMessage) => void;
  markRead: (chatId: string, seq: number) => void;
  setTyping: (chatId: string, typing: boolean) => void;
  openDirect: (phoneNumber: string) => Promise<ChatView>;
  /** Online now, or last seen (MSG-5); null when the server does not say. */
  getPresence: (accountId: string) => Promise<PresenceView | null>;
}

interface UseChatsOptions {
  connection: Connection;
  selfAccountId: string;
  /** What the local cache held when the tab opened (shown before the socket is ready). */
  seed: ChatsSeed | null;
  openChatId: string | null;
}

/** Chats and messages over the session socket: cache, catch-up, RPC results and live events into one reducer. */
export function useChats({ connection, selfAccountId, seed, openChatId }: UseChatsOptions): ChatsApi {
  const [state, dispatch] = useReducer(chatsReducer, seed, seededChatsState);
  const stateRef = useRef(state);
  stateRef.current = state;
  const inFlight = useRef(new Set<string>());
  const socket = connection.socket;

  const loadChats = () => {
    socket.request('chats.list', {}).then(
      ({ chats }) => dispatch({ type: 'chats_loaded', chats }),
      () => dispatch({ type: 'chats_failed' }),
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
          // Lost connection: stays pending and goes again after the next catch-up (same clientMsgId).
          const offline =
            error instanceof ApiError && error.code === 'network' && socket.current.kind !== 'ready';
          if (!offline) dispatch({ type: 'message_failed', chatId, clientMsgId });
        },
      )
      .finally(() => inFlight.current.delete(clientMsgId));
  };

  const resendPending = () => {
    for (const messages of Object.values(stateRef.current.messages)) {
      for (const p of messages.pending) if (p.status === 'sending') deliver(p);
    }
  };

  const { repair } = useCatchUp({
    connection,
    state,
    stateRef,
    dispatch,
    selfAccountId,
    openChatId,
    loadChats,
    resendPending,
  });

  const onEvent = useEffectEvent((frame: ServerEventFrame) => {
    switch (frame.type) {
      case 'message': {
        const { message, syncId } = frame;
        const held = newestSeq(state.messages[message.chatId]);
        dispatch({ type: 'message_received', message, selfAccountId, syncId });
        if (!state.chats[message.chatId]) loadChats();
        // A seq skipped means a message was missed (delivered out of order): fetch it.
        else if (held > 0 && message.seq > held + 1 && state.catchUp.kind === 'live')
          repair(message.chatId, LIVE_HOLE_DELAY_MS);
        return;
      }
      case 'chat':
        dispatch({ type: 'chat_upserted', chat: frame.chat });
        return;
      case 'receipts':
        dispatch({ type: 'receipts_moved', receipts: frame });
        return;
      case 'chat.removed':
        dispatch({ type: 'chat_removed', chatId: frame.chatId });
        return;
      case 'resync':
        // BUS-6: the server may have missed live events for us: catch up from the cursor again.
        dispatch({ type: 'connected' });
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

  // The open chat's newest messages when nothing of it is held yet (and any hole in it).
  const onOpen = useEffectEvent((chatId: string) => repair(chatId));
  useEffect(() => {
    if (openChatId) onOpen(openChatId);
  }, [openChatId]);

  useTypingExpiry(state, dispatch);

  return {
    state,
    loadOlder: (chatId) => {
      const messages = state.messages[chatId];
      const oldest = oldestSeq(messages);
      if (oldest === null || messages?.loadingOlder || !hasOlderMessages(messages)) return;
      dispatch({ type: 'older_requested', chatId });
      socket.request('messages.history', { chatId, beforeSeq: oldest, limit: PAGE_SIZE }).then(
        ({ messages: older }) => dispatch({ type: 'history_loaded', chatId, messages: older, older: true }),
        () => dispatch({ type: 'older_failed', chatId }),
      );
    },
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
    getPresence: async (accountId) => {
      const { presence } = await socket.request('presence.get', { accountIds: [accountId] });
      return presence.find((p) => p.accountId === accountId) ?? null;
    },
    ...groupActions(socket, dispatch),
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
