import type { PendingMessage } from '@latch/client';
import type { ChatView, PresenceView } from '@latch/protocol';
import { useEffect, useMemo } from 'react';
import { useEngine } from './engineContext';

/** What the chat screens can do; every call goes through the engine (no screen touches a socket). */
export interface ChatActions {
  /** Pages in the messages before the oldest one held (scrolling up). */
  loadOlder: (chatId: string) => void;
  send: (chatId: string, text: string) => void;
  retry: (pending: PendingMessage) => void;
  markRead: (chatId: string, seq: number) => void;
  setTyping: (chatId: string, typing: boolean) => void;
  openDirect: (phoneNumber: string) => Promise<ChatView>;
  /** Online now, or last seen (MSG-5); null when the server does not say. */
  getPresence: (accountId: string) => Promise<PresenceView | null>;
  createGroup: (name: string, phoneNumbers: string[]) => Promise<ChatView>;
  addMembers: (chatId: string, phoneNumbers: string[]) => Promise<ChatView>;
  removeMember: (chatId: string, accountId: string) => Promise<ChatView>;
  rename: (chatId: string, name: string) => Promise<ChatView>;
  leave: (chatId: string) => Promise<void>;
}

/** The engine's chat methods, bound once per engine (stable across renders). */
export function useChatActions(): ChatActions {
  const engine = useEngine();
  return useMemo(
    () => ({
      loadOlder: (chatId) => engine.loadOlder(chatId),
      send: (chatId, text) => void engine.send(chatId, text),
      retry: (pending) => engine.retry(pending.chatId, pending.clientMsgId),
      markRead: (chatId, seq) => engine.markRead(chatId, seq),
      setTyping: (chatId, typing) => engine.setTyping(chatId, typing),
      openDirect: (phoneNumber) => engine.openDirect(phoneNumber),
      getPresence: (accountId) => engine.presenceOf(accountId),
      createGroup: (name, phoneNumbers) => engine.createGroup(name, phoneNumbers),
      addMembers: (chatId, phoneNumbers) => engine.addMembers(chatId, phoneNumbers),
      removeMember: (chatId, accountId) => engine.removeMember(chatId, accountId),
      rename: (chatId, name) => engine.renameGroup(chatId, name),
      leave: (chatId) => engine.leaveGroup(chatId),
    }),
    [engine],
  );
}

/** Tells the engine which chat is on screen (it keeps that one filled and repaired). */
export function useOpenChat(chatId: string | null): void {
  const engine = useEngine();
  useEffect(() => {
    engine.setOpenChat(chatId);
  }, [engine, chatId]);
}

/** Writes the cache at once when the page is hidden or closed (a reload then shows everything). */
export function useFlushCacheOnHide(): void {
  const engine = useEngine();
  useEffect(() => {
    const flush = () => void engine.flushCache();
    const onHide = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    document.addEventListener('visibilitychange', onHide);
    addEventListener('pagehide', flush);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      removeEventListener('pagehide', flush);
    };
  }, [engine]);
}
