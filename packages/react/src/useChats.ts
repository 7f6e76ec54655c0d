import { type ChatMessages, emptyMessages, type PendingMessage, sortedChats } from '@latch/client';
import type { ChatView } from '@latch/protocol';
import { useEffect, useMemo } from 'react';
import { useEngine, useEngineSnapshot } from './engineContext';

/** The chats, most recent first, as the engine holds them (cache first, then the server's). */
export function useChatList(): ChatView[] {
  const chats = useEngineSnapshot((s) => s.chats);
  return useMemo(() => sortedChats(chats), [chats]);
}

/** This account's id: from the last `ready`, or the cache before it. */
export function useSelfAccountId(): string | null {
  return useEngineSnapshot((s) => s.identity?.account.id ?? null);
}

export interface OpenChat {
  chat: ChatView | undefined;
  messages: ChatMessages;
  send: (text: string) => void;
  retry: (pending: PendingMessage) => void;
  loadOlder: () => void;
  markRead: (seq: number) => void;
  setTyping: (typing: boolean) => void;
}

/**
 * The chat on screen: its messages (synced exactly once by the engine, ENG-7/8) and what can be done
 * in it. While mounted it is the engine's open chat, which keeps it filled and repaired.
 */
export function useChat(chatId: string): OpenChat {
  const engine = useEngine();
  const chat = useEngineSnapshot((s) => s.chats.chats[chatId]);
  const messages = useEngineSnapshot((s) => s.chats.messages[chatId] ?? emptyMessages);
  useEffect(() => {
    engine.setOpenChat(chatId);
    return () => engine.setOpenChat(null);
  }, [engine, chatId]);
  const actions = useMemo(
    () => ({
      send: (text: string) => void engine.send(chatId, text),
      retry: (pending: PendingMessage) => engine.retry(chatId, pending.clientMsgId),
      loadOlder: () => engine.loadOlder(chatId),
      markRead: (seq: number) => engine.markRead(chatId, seq),
      setTyping: (typing: boolean) => engine.setTyping(chatId, typing),
    }),
    [engine, chatId],
  );
  return { chat, messages, ...actions };
}
