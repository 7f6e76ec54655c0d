import type { ChatView } from '@latch/protocol';
import { formatter } from '@latch/react';
import { Fragment } from 'react';
import { MessageBubble } from './MessageBubble';
import { deliveryOf } from './MessageStatus';
import type { Conversation } from './useConversation';

export interface MessageLogViewProps {
  chat: ChatView;
  ownAccountId: string;
  conversation: Conversation;
}

function dayKey(at: number): string {
  return new Date(at).toDateString();
}

/** The messages as a live log (screen readers announce new ones), with day separators. */
export function MessageLogView({ chat, ownAccountId, conversation }: MessageLogViewProps) {
  const { log, hasEarlier, loadEarlier, retry } = conversation;
  const names = new Map(chat.members.map((m) => [m.accountId, m.name]));
  let lastDay = '';
  return (
    <div className="message-log" role="log" aria-label="Messages">
      {hasEarlier && (
        <button type="button" className="chip chip--button" onClick={loadEarlier}>
          Load earlier messages
        </button>
      )}
      {log.confirmed.length === 0 && log.pending.length === 0 && (
        <p className="chip chip--info">Messages you send appear here.</p>
      )}
      {log.confirmed.map((m) => {
        const day = dayKey(m.sentAt);
        const separator = day !== lastDay ? formatter.dayLabel(m.sentAt, Date.now()) : null;
        lastDay = day;
        const outgoing = m.senderAccountId === ownAccountId;
        return (
          <Fragment key={m.seq}>
            {separator && <p className="chip chip--day">{separator}</p>}
            <MessageBubble
              text={m.text}
              at={m.sentAt}
              outgoing={outgoing}
              delivery={outgoing ? deliveryOf(m.seq, chat.othersDeliveredSeq, chat.othersReadSeq) : undefined}
              sender={
                !outgoing && chat.kind === 'group' ? (names.get(m.senderAccountId) ?? 'Unknown') : undefined
              }
            />
          </Fragment>
        );
      })}
      {log.pending.map((p) => (
        <MessageBubble
          key={p.clientMsgId}
          text={p.text}
          at={p.createdAt}
          outgoing
          delivery={p.failed ? 'failed' : 'sending'}
          action={
            p.failed ? (
              <button
                type="button"
                className="link-button bubble__retry"
                onClick={() => retry(p.clientMsgId)}
              >
                Retry
              </button>
            ) : undefined
          }
        />
      ))}
    </div>
  );
}
