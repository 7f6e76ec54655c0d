import type { ChatsState } from '@latch/client';
import { type ChatActions, useChatActions, useEngineSnapshot } from '@latch/react';

/** The chats as the engine holds them, and what the screens can do with them. */
export interface ChatsApi extends ChatActions {
  state: ChatsState;
}

export function useChats(): ChatsApi {
  const state = useEngineSnapshot((s) => s.chats);
  return { state, ...useChatActions() };
}
