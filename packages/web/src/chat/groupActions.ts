import type { LatchSocket } from '@latch/client';
import type { ChatView } from '@latch/protocol';
import type { ActionDispatch } from 'react';
import type { ChatsAction } from './chatsReducer';

/** What the group dialogs and the group info panel can do; each result updates the list at once. */
export interface GroupActions {
  createGroup: (name: string, phoneNumbers: string[]) => Promise<ChatView>;
  addMembers: (chatId: string, phoneNumbers: string[]) => Promise<ChatView>;
  removeMember: (chatId: string, accountId: string) => Promise<ChatView>;
  rename: (chatId: string, name: string) => Promise<ChatView>;
  leave: (chatId: string) => Promise<void>;
}

/** MSG-4 over the socket. The server also sends `chat` / `chat.removed` to every device; both merge. */
export function groupActions(
  socket: LatchSocket,
  dispatch: ActionDispatch<[action: ChatsAction]>,
): GroupActions {
  const upsert = (chat: ChatView) => {
    dispatch({ type: 'chat_upserted', chat });
    return chat;
  };
  return {
    createGroup: async (name, phoneNumbers) =>
      upsert(await socket.request('chats.createGroup', { name, phoneNumbers })),
    addMembers: async (chatId, phoneNumbers) =>
      upsert(await socket.request('chats.addMembers', { chatId, phoneNumbers })),
    removeMember: async (chatId, accountId) =>
      upsert(await socket.request('chats.removeMember', { chatId, accountId })),
    rename: async (chatId, name) => upsert(await socket.request('chats.rename', { chatId, name })),
    leave: async (chatId) => {
      await socket.request('chats.leave', { chatId });
      dispatch({ type: 'chat_removed', chatId });
    },
  };
}
