import type { ChatView } from '@latch/protocol';
import { useEffect } from 'react';
import { Avatar } from '../ui/Avatar';
import { BackIcon } from '../ui/icons';
import { useDocumentVisible } from '../ui/useDocumentVisible';
import { Composer } from './Composer';
import { chatTitle, newestSeq, typingNames } from './chatSelectors';
import type { ChatsState } from './chatsReducer';
import { MessageLog } from './MessageLog';
import type { ChatsApi } from './useChats';

interface ConversationProps {
  chat: ChatView;
  chats: ChatsApi;
  selfAccountId: string;
  onBack: () => void;
}

function subtitleOf(state: ChatsState, chat: ChatView, selfAccountId: string): string {
  const typing = typingNames(state, chat, selfAccountId);
  if (typing.length > 0) {
    if (chat.kind === 'direct') return 'typing…';
    return typing.length === 1 ? `${typing[0]} is typing…` : `${typing.join(', ')} are typing…`;
  }
  const others = chat.members.filter((m) => m.accountId !== selfAccountId);
  if (chat.kind === 'direct') return others[0]?.phoneNumber ?? '';
  return [...others.map((m) => m.name || m.phoneNumber), 'You'].join(', ');
}

/** The open chat: header (title, typing), the message log and the composer. */
export function Conversation({ chat, chats, selfAccountId, onBack }: ConversationProps) {
  const title = chatTitle(chat, selfAccountId);
  const messages = chats.state.messages[chat.id];
  const visible = useDocumentVisible();
  const subtitle = subtitleOf(chats.state, chat, selfAccountId);
  const isTyping = typingNames(chats.state, chat, selfAccountId).length > 0;
  const newest = newestSeq(messages);
  const { markRead } = chats;

  // Read receipts only for what is on a visible screen.
  useEffect(() => {
    if (visible && newest > chat.readSeq) markRead(chat.id, newest);
  }, [visible, newest, chat.readSeq, chat.id, markRead]);

  return (
    <div className="conversation">
      <header className="conversation-header">
        <button type="button" className="icon-button back-button" aria-label="Back to chats" onClick={onBack}>
          <BackIcon />
        </button>
        <Avatar name={title} seed={chat.id} />
        <div className="conversation-heading">
          <h2 className="conversation-title">{title}</h2>
          <p className={isTyping ? 'conversation-subtitle conversation-typing' : 'conversation-subtitle'}>
            {subtitle}
          </p>
        </div>
      </header>
      <MessageLog
        chat={chat}
        title={title}
        messages={messages}
        selfAccountId={selfAccountId}
        onLoadOlder={() => chats.loadOlder(chat.id)}
        onRetry={chats.retry}
      />
      <Composer
        key={chat.id}
        chatId={chat.id}
        onSend={(text) => chats.send(chat.id, text)}
        setTyping={chats.setTyping}
      />
    </div>
  );
}
