import type { PendingMessage } from '@latch/client';
import { receiptFor, senderName } from '@latch/client';
import type { ChatView } from '@latch/protocol';
import { formatter } from '@latch/react';
import { Avatar } from '../ui/Avatar';
import { AlertIcon } from '../ui/icons';
import { ReceiptTicks } from './ReceiptTicks';

interface ChatListItemProps {
  chat: ChatView;
  title: string;
  selected: boolean;
  unread: number;
  typing: string[];
  /** The newest message this browser is still sending in the chat (shown with a clock). */
  pending: PendingMessage | null;
  selfAccountId: string;
  now: number;
  onOpen: (chatId: string) => void;
}

function PendingPreview({ pending }: { pending: PendingMessage }) {
  return (
    <span className="chat-row-preview">
      {pending.status === 'pending' ? (
        <ReceiptTicks receipt="pending" />
      ) : (
        <span className="ticks ticks-failed" role="img" aria-label="Not sent">
          <AlertIcon />
        </span>
      )}
      <span className="chat-row-preview-text">{pending.text}</span>
    </span>
  );
}

function Preview({
  chat,
  typing,
  pending,
  selfAccountId,
}: Pick<ChatListItemProps, 'chat' | 'typing' | 'pending' | 'selfAccountId'>) {
  if (typing.length > 0) return <span className="chat-row-preview chat-row-typing">typing…</span>;
  if (pending) return <PendingPreview pending={pending} />;
  const last = chat.lastMessage;
  if (!last) return <span className="chat-row-preview chat-row-empty">No messages yet</span>;
  const own = last.senderAccountId === selfAccountId;
  const prefix = !own && chat.kind === 'group' ? `${senderName(chat, last.senderAccountId)}: ` : '';
  return (
    <span className="chat-row-preview">
      {own && <ReceiptTicks receipt={receiptFor(last, chat)} />}
      <span className="chat-row-preview-text">
        {prefix}
        {last.text}
      </span>
    </span>
  );
}

/** One row of the chat list: avatar, title, time, last message and unread count. */
export function ChatListItem(props: ChatListItemProps) {
  const { chat, title, selected, unread, now } = props;
  const activity = props.pending?.createdAt ?? chat.lastMessage?.sentAt ?? null;
  return (
    <li className="chat-list-item">
      <button
        type="button"
        className={selected ? 'chat-row chat-row-selected' : 'chat-row'}
        aria-current={selected ? 'true' : undefined}
        onClick={() => props.onOpen(chat.id)}
      >
        <Avatar name={title} seed={chat.id} />
        <span className="chat-row-main">
          <span className="chat-row-top">
            <span className="chat-row-title">{title}</span>
            {activity !== null && (
              <span className={unread > 0 ? 'chat-row-time chat-row-time-unread' : 'chat-row-time'}>
                {formatter.listTime(activity, now)}
              </span>
            )}
          </span>
          <span className="chat-row-bottom">
            <Preview
              chat={chat}
              typing={props.typing}
              pending={props.pending}
              selfAccountId={props.selfAccountId}
            />
            {unread > 0 && (
              <span className="unread-badge">
                {unread}
                <span className="visually-hidden"> unread {unread === 1 ? 'message' : 'messages'}</span>
              </span>
            )}
          </span>
        </span>
      </button>
    </li>
  );
}
