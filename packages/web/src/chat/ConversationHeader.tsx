import { otherMember } from '@latch/client';
import type { ChatView, PresenceView } from '@latch/protocol';
import { formatter } from '@latch/react';
import { Avatar } from '../ui/Avatar';
import { BackIcon, InfoIcon } from '../ui/icons';
import { useNow } from '../ui/useNow';

interface ConversationHeaderProps {
  chat: ChatView;
  title: string;
  selfAccountId: string;
  /** Names of who is typing now (this account excluded). */
  typing: string[];
  presence: PresenceView | null;
  infoOpen: boolean;
  onBack: () => void;
  onToggleInfo: () => void;
}

function directSubtitle(chat: ChatView, selfAccountId: string, presence: PresenceView | null, now: number) {
  if (presence?.online) return 'online';
  if (presence?.lastSeenAt) return formatter.lastSeen(presence.lastSeenAt, now);
  return otherMember(chat, selfAccountId)?.phoneNumber ?? '';
}

function groupSubtitle(chat: ChatView, selfAccountId: string): string {
  const others = chat.members.filter((m) => m.accountId !== selfAccountId);
  return [...others.map((m) => m.name || m.phoneNumber), 'You'].join(', ');
}

function typingText(chat: ChatView, typing: string[]): string {
  if (chat.kind === 'direct') return 'typing…';
  return typing.length === 1 ? `${typing[0]} is typing…` : `${typing.join(', ')} are typing…`;
}

/** Title, and under it: typing (first), presence for a direct chat, the members of a group. */
export function ConversationHeader(props: ConversationHeaderProps) {
  const { chat, title, selfAccountId, typing, presence } = props;
  const now = useNow(60_000);
  const isTyping = typing.length > 0;
  const subtitle = isTyping
    ? typingText(chat, typing)
    : chat.kind === 'direct'
      ? directSubtitle(chat, selfAccountId, presence, now)
      : groupSubtitle(chat, selfAccountId);
  return (
    <header className="conversation-header">
      <button
        type="button"
        className="icon-button back-button"
        aria-label="Back to chats"
        onClick={props.onBack}
      >
        <BackIcon />
      </button>
      <Avatar name={title} seed={chat.id} />
      <div className="conversation-heading">
        <h2 className="conversation-title">{title}</h2>
        <p className={isTyping ? 'conversation-subtitle conversation-typing' : 'conversation-subtitle'}>
          {subtitle}
        </p>
      </div>
      {chat.kind === 'group' && (
        <button
          type="button"
          className="icon-button conversation-info-button"
          aria-label="Group info"
          title="Group info"
          aria-expanded={props.infoOpen}
          onClick={props.onToggleInfo}
        >
          <InfoIcon />
        </button>
      )}
    </header>
  );
}
