import { formatter } from '@latch/react';
import type { ReactNode } from 'react';
import { type Delivery, MessageStatus } from './MessageStatus';

export interface MessageBubbleProps {
  text: string;
  at: number;
  /** Sent by this account (from this phone or one of its linked computers). */
  outgoing: boolean;
  delivery?: Delivery;
  /** In groups, who wrote an incoming message. */
  sender?: string;
  action?: ReactNode;
}

export function MessageBubble({ text, at, outgoing, delivery, sender, action }: MessageBubbleProps) {
  return (
    <div className={outgoing ? 'bubble bubble--out' : 'bubble bubble--in'}>
      {sender && <span className="bubble__sender">{sender}</span>}
      <span className="visually-hidden">{outgoing ? 'You: ' : sender ? '' : 'Them: '}</span>
      <span className="bubble__text">{text}</span>
      <span className="bubble__meta">
        <time dateTime={new Date(at).toISOString()}>{formatter.clock(at)}</time>
        {outgoing && delivery && <MessageStatus delivery={delivery} />}
      </span>
      {action}
    </div>
  );
}
