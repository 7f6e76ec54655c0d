import type { ChatView } from '@latch/protocol';
import { type ReactNode, useState } from 'react';
import { Icon } from '../ui/Icon';
import { ChatList } from './ChatList';
import { NewChatSheet } from './NewChatSheet';
import type { ChatsState } from './useChats';

export interface ChatsTabProps {
  chats: ChatsState;
  ownAccountId: string;
  onOpen: (chat: ChatView) => void;
  /** Shown above the list (reminders). */
  top?: ReactNode;
}

/** The Chats tab: the list, its empty state, and the "New chat" button. */
export function ChatsTab({ chats, ownAccountId, onOpen, top }: ChatsTabProps) {
  const [creating, setCreating] = useState(false);
  return (
    <div className="chats-tab">
      {top}
      {chats.chats.length > 0 ? (
        <ChatList chats={chats.chats} ownAccountId={ownAccountId} onOpen={onOpen} />
      ) : (
        <div className="empty-state">
          <div className="empty-state__art" aria-hidden="true">
            <Icon name="chat" />
          </div>
          <h2 className="empty-state__title">{chats.loaded ? 'No chats yet' : 'Loading chats…'}</h2>
          {chats.loaded && (
            <p className="empty-state__text">Start a conversation with anyone who uses Latch.</p>
          )}
        </div>
      )}
      <button type="button" className="fab" onClick={() => setCreating(true)} aria-label="New chat">
        <Icon name="plus" />
      </button>
      {creating && (
        <NewChatSheet
          onClose={() => setCreating(false)}
          onOpened={(chat) => {
            setCreating(false);
            onOpen(chat);
          }}
        />
      )}
    </div>
  );
}
