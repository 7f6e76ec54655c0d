import type { ChatView } from '@latch/protocol';
import { useChatList, useEngineSnapshot } from '@latch/react';

export interface ChatsState {
  chats: ChatView[];
  /** False until the first list arrived (or failed), unless the cache already had chats. */
  loaded: boolean;
}

/** The chat list as the engine keeps it (cache first, then synced from the cursor, ENG-7). */
export function useChats(): ChatsState {
  const chats = useChatList();
  const loaded = useEngineSnapshot((s) => s.chats.status !== 'loading');
  return { chats, loaded };
}
