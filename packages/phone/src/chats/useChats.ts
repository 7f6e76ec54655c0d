import { applyReceipts } from '@latch/client';
import type { ChatView, MessageView } from '@latch/protocol';
import { useCallback, useState } from 'react';
import { useOnReady, useServerEvent, useSession } from '../session/SessionContext';

export interface ChatsState {
  chats: ChatView[];
  /** False until the first list arrived (or failed). */
  loaded: boolean;
  upsert: (chat: ChatView) => void;
}

function byRecent(a: ChatView, b: ChatView): number {
  return (b.lastMessage?.sentAt ?? b.updatedAt) - (a.lastMessage?.sentAt ?? a.updatedAt);
}

function withMessage(chat: ChatView, message: MessageView): ChatView {
  if (message.seq <= chat.lastSeq && chat.lastMessage && chat.lastMessage.seq >= message.seq) return chat;
  return {
    ...chat,
    lastSeq: Math.max(chat.lastSeq, message.seq),
    lastMessage: message,
    updatedAt: message.sentAt,
  };
}

/**
 * The chat list, kept current by `chat` and `message` events and refetched after every reconnect.
 * If the server cannot list chats, the list is simply empty.
 */
export function useChats(): ChatsState {
  const session = useSession();
  const [chats, setChats] = useState<ChatView[]>([]);
  const [loaded, setLoaded] = useState(false);

  const load = useCallback(() => {
    session.request('chats.list', {}).then(
      (result) => {
        setChats([...result.chats].sort(byRecent));
        setLoaded(true);
      },
      () => setLoaded(true),
    );
  }, [session]);
  useOnReady(load);

  const upsert = useCallback((chat: ChatView) => {
    setChats((list) => [chat, ...list.filter((c) => c.id !== chat.id)].sort(byRecent));
  }, []);

  useServerEvent('chat', (frame) => upsert(frame.chat));
  useServerEvent('receipts', (frame) =>
    setChats((list) => list.map((c) => (c.id === frame.chatId ? applyReceipts(c, frame) : c))),
  );
  useServerEvent('chat.removed', ({ chatId }) => setChats((list) => list.filter((c) => c.id !== chatId)));
  // The server may have dropped live events for this device: catch up.
  useServerEvent('resync', load);
  useServerEvent('message', ({ message }) => {
    // A message in a chat this phone has not seen yet: the list is out of date.
    if (!chats.some((c) => c.id === message.chatId)) {
      load();
      return;
    }
    setChats((list) =>
      list.map((c) => (c.id === message.chatId ? withMessage(c, message) : c)).sort(byRecent),
    );
  });

  return { chats, loaded, upsert };
}
