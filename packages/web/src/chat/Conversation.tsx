import { chatTitle, newestSeq, otherMember, typingNames } from '@latch/client';
import type { ChatView } from '@latch/protocol';
import { useEffect } from 'react';
import { useDocumentVisible } from '../ui/useDocumentVisible';
import { Composer } from './Composer';
import { ConversationHeader } from './ConversationHeader';
import { MessageLog } from './MessageLog';
import type { ChatsApi } from './useChats';
import { usePresence } from './usePresence';

interface ConversationProps {
  chat: ChatView;
  chats: ChatsApi;
  selfAccountId: string;
  infoOpen: boolean;
  onBack: () => void;
  onToggleInfo: () => void;
}

/** The open chat: header (title, typing, presence), the message log and the composer. */
export function Conversation({
  chat,
  chats,
  selfAccountId,
  infoOpen,
  onBack,
  onToggleInfo,
}: ConversationProps) {
  const title = chatTitle(chat, selfAccountId);
  const messages = chats.state.messages[chat.id];
  const visible = useDocumentVisible();
  const newest = newestSeq(messages);
  const { markRead } = chats;
  const connected = chats.state.catchUp.kind !== 'offline';
  const presence = usePresence(
    chats.getPresence,
    otherMember(chat, selfAccountId)?.accountId ?? null,
    connected,
  );

  // Read receipts only for what is on a visible screen.
  useEffect(() => {
    if (visible && newest > chat.readSeq) markRead(chat.id, newest);
  }, [visible, newest, chat.readSeq, chat.id, markRead]);

  return (
    <div className="conversation">
      <ConversationHeader
        chat={chat}
        title={title}
        selfAccountId={selfAccountId}
        typing={typingNames(chats.state, chat, selfAccountId)}
        presence={presence}
        infoOpen={infoOpen}
        onBack={onBack}
        onToggleInfo={onToggleInfo}
      />
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
