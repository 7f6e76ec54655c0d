import type { PendingMessage, TimelineItem } from '@latch/client';
import { receiptFor, senderName } from '@latch/client';
import type { ChatView } from '@latch/protocol';
import { formatter } from '@latch/react';
import type { ReactNode } from 'react';
import { AlertIcon } from '../ui/icons';
import { ReceiptTicks } from './ReceiptTicks';

interface MessageBubbleProps {
  item: TimelineItem;
  chat: ChatView;
  selfAccountId: string;
  /** True for the first of a run of messages from one sender (draws the tail and group name). */
  firstOfRun: boolean;
  onRetry: (pending: PendingMessage) => void;
}

function Meta({ at, children }: { at: number; children?: ReactNode }) {
  return (
    <span className="bubble-meta">
      <time dateTime={new Date(at).toISOString()}>{formatter.clock(at)}</time>
      {children}
    </span>
  );
}

function FailedNote({
  pending,
  onRetry,
}: {
  pending: PendingMessage;
  onRetry: MessageBubbleProps['onRetry'];
}) {
  return (
    <p className="bubble-failed">
      <AlertIcon className="bubble-failed-icon" />
      <span>Not sent.</span>
      <button type="button" className="link-button" onClick={() => onRetry(pending)}>
        Retry
      </button>
    </p>
  );
}

/** One message: bubble, text, time, and for own messages the receipt ticks (or the pending clock). */
export function MessageBubble({ item, chat, selfAccountId, firstOfRun, onRetry }: MessageBubbleProps) {
  const own = item.kind === 'pending' || item.message.senderAccountId === selfAccountId;
  const text = item.kind === 'pending' ? item.pending.text : item.message.text;
  const showSender = !own && firstOfRun && chat.kind === 'group' && item.kind === 'message';
  const rowClass = `message-row ${own ? 'message-out' : 'message-in'}${firstOfRun ? ' message-first' : ''}`;
  return (
    <article className={rowClass}>
      <div className="bubble">
        {showSender && <p className="bubble-sender">{senderName(chat, item.message.senderAccountId)}</p>}
        <p className="bubble-text">
          {text}
          {/* Floated at the end of the text: beside the last line when it fits, below it when not. */}
          {item.kind === 'pending' ? (
            <Meta at={item.at}>
              {item.pending.status === 'pending' && <ReceiptTicks receipt="pending" />}
            </Meta>
          ) : (
            <Meta at={item.at}>{own && <ReceiptTicks receipt={receiptFor(item.message, chat)} />}</Meta>
          )}
        </p>
        {item.kind === 'pending' && item.pending.status === 'failed' && (
          <FailedNote pending={item.pending} onRetry={onRetry} />
        )}
      </div>
    </article>
  );
}
