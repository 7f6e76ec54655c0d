import type { ChatView } from '@latch/protocol';
import { formatter } from '@latch/react';
import { Avatar } from '../ui/Avatar';
import { deliveryOf, MessageStatus } from './MessageStatus';

export interface ChatListProps {
  chats: ChatView[];
  ownAccountId: string;
  onOpen: (chat: ChatView) => void;
}

function unreadCount(chat: ChatView, ownAccountId: string): number {
  if (!chat.lastMessage || chat.lastMessage.senderAccountId === ownAccountId) return 0;
  return Math.max(0, chat.lastSeq - chat.readSeq);
}

/** The chats, most recent first: name, last message, time, unread badge. */
export function ChatList({ chats, ownAccountId, onOpen }: ChatListProps) {
  return (
    <ul className="chat-list" aria-label="Chats">
      {chats.map((chat) => {
        const last = chat.lastMessage;
        const unread = unreadCount(chat, ownAccountId);
        const own = last?.senderAccountId === ownAccountId;
        return (
          <li key={chat.id}>
            <button type="button" className="chat-row" onClick={() => onOpen(chat)}>
              <Avatar name={chat.title} seed={chat.id} />
              <span className="chat-row__main">
                <span className="chat-row__top">
                  <span className="chat-row__title">{chat.title}</span>
                  {last && (
                    <span className={unread > 0 ? 'chat-row__time chat-row__time--unread' : 'chat-row__time'}>
                      {formatter.listTime(last.sentAt, Date.now())}
                    </span>
                  )}
                </span>
                <span className="chat-row__bottom">
                  <span className="chat-row__preview">
                    {own && last && (
                      <MessageStatus
                        delivery={deliveryOf(last.seq, chat.othersDeliveredSeq, chat.othersReadSeq)}
                      />
                    )}
                    {last ? last.text : 'No messages yet'}
                  </span>
                  {unread > 0 && (
                    <span className="badge">
                      {unread}
                      <span className="visually-hidden"> unread</span>
                    </span>
                  )}
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
