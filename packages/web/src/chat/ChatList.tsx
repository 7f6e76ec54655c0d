import type { ChatsState } from '@latch/client';
import { chatTitle, latestPending, sortedChats, typingNames, unreadCount } from '@latch/client';
import type { ChatView } from '@latch/protocol';
import { Spinner } from '../ui/Spinner';
import { useNow } from '../ui/useNow';
import { ChatListItem } from './ChatListItem';

interface ChatListProps {
  state: ChatsState;
  selfAccountId: string;
  selectedChatId: string | null;
  query: string;
  onOpen: (chatId: string) => void;
}

function matches(chat: ChatView, title: string, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  if (title.toLowerCase().includes(q)) return true;
  return chat.members.some((m) => m.phoneNumber.includes(q.replace(/[^\d+]/g, '') || q));
}

function EmptyList({ state, query }: { state: ChatsState; query: string }) {
  if (state.status === 'loading') {
    return (
      <div className="chat-list-empty" role="status">
        <Spinner />
        <span>Loading chats…</span>
      </div>
    );
  }
  if (query.trim()) {
    return <p className="chat-list-empty">No chats match “{query.trim()}”.</p>;
  }
  return (
    <div className="chat-list-empty">
      <p className="chat-list-empty-title">No chats yet</p>
      <p>Start one with the New chat button above.</p>
    </div>
  );
}

/** The `Chats` region: every chat, most recent first, filtered by the search box. */
export function ChatList({ state, selfAccountId, selectedChatId, query, onOpen }: ChatListProps) {
  const now = useNow(60_000);
  const rows = sortedChats(state)
    .map((chat) => ({ chat, title: chatTitle(chat, selfAccountId) }))
    .filter(({ chat, title }) => matches(chat, title, query));
  return (
    <section className="chat-list-section" aria-label="Chats">
      {rows.length === 0 ? (
        <EmptyList state={state} query={query} />
      ) : (
        <ul className="chat-list">
          {rows.map(({ chat, title }) => (
            <ChatListItem
              key={chat.id}
              chat={chat}
              title={title}
              selected={chat.id === selectedChatId}
              unread={unreadCount(chat, selfAccountId)}
              typing={typingNames(state, chat, selfAccountId)}
              pending={latestPending(state.messages[chat.id])}
              selfAccountId={selfAccountId}
              now={now}
              onOpen={onOpen}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
