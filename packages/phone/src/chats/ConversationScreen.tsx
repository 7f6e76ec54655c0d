import type { ChatView, PresenceView } from '@latch/protocol';
import { formatter } from '@latch/react';
import { useLayoutEffect, useRef } from 'react';
import { Avatar } from '../ui/Avatar';
import { Icon } from '../ui/Icon';
import { Composer } from './Composer';
import { MessageLogView } from './MessageLogView';
import { useConversation } from './useConversation';
import { usePresence } from './usePresence';
import { useTyping } from './useTyping';

export interface ConversationScreenProps {
  chat: ChatView;
  ownAccountId: string;
  onBack: () => void;
}

function subtitle(
  chat: ChatView,
  ownAccountId: string,
  typing: string[],
  presence: PresenceView | null,
): string {
  const others = chat.members.filter((m) => m.accountId !== ownAccountId);
  if (typing.length > 0) {
    if (chat.kind === 'direct') return 'typing…';
    const names = typing.map((id) => others.find((m) => m.accountId === id)?.name ?? 'Someone');
    return `${names.join(', ')} typing…`;
  }
  if (chat.kind === 'direct') {
    if (presence?.online) return 'online';
    if (presence?.lastSeenAt) return formatter.lastSeen(presence.lastSeenAt, Date.now());
    return others[0]?.phoneNumber ?? '';
  }
  return ['You', ...others.map((m) => m.name)].join(', ');
}

/** One chat: header, the message log, the composer. */
export function ConversationScreen({ chat, ownAccountId, onBack }: ConversationScreenProps) {
  const conversation = useConversation(chat, ownAccountId);
  const typing = useTyping(chat.id, ownAccountId);
  const other = chat.kind === 'direct' ? chat.members.find((m) => m.accountId !== ownAccountId) : undefined;
  const presence = usePresence(other?.accountId ?? null);
  const logRef = useRef<HTMLDivElement>(null);
  const count = conversation.log.confirmed.length + conversation.log.pending.length;

  useLayoutEffect(() => {
    const el = logRef.current;
    if (el && count > 0) el.scrollTop = el.scrollHeight;
  }, [count]);

  return (
    <main className="screen conversation">
      <header className="app-bar app-bar--sub">
        <button type="button" className="icon-button" aria-label="Back" onClick={onBack}>
          <Icon name="back" />
        </button>
        <Avatar name={chat.title} seed={chat.id} />
        <div className="app-bar__titles">
          <h1 className="app-bar__title app-bar__title--sub">{chat.title}</h1>
          <p className="app-bar__subtitle">{subtitle(chat, ownAccountId, typing.others, presence)}</p>
        </div>
      </header>
      <div className="conversation__scroll" ref={logRef}>
        <MessageLogView chat={chat} ownAccountId={ownAccountId} conversation={conversation} />
      </div>
      <Composer
        onTyped={typing.typed}
        onSend={(text) => {
          typing.stop();
          conversation.send(text);
        }}
      />
    </main>
  );
}
