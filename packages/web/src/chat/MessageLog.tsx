import type { ChatMessages, PendingMessage } from '@latch/client';
import { hasOlderMessages, type TimelineItem, timeline } from '@latch/client';
import type { ChatView } from '@latch/protocol';
import { formatter } from '@latch/react';
import { Fragment, useLayoutEffect, useMemo, useRef } from 'react';
import { Spinner } from '../ui/Spinner';
import { useNow } from '../ui/useNow';
import { MessageBubble } from './MessageBubble';

interface MessageLogProps {
  chat: ChatView;
  title: string;
  messages: ChatMessages | undefined;
  selfAccountId: string;
  onLoadOlder: () => void;
  onRetry: (pending: PendingMessage) => void;
}

/** Near enough to the bottom that new messages should keep the view pinned there. */
const STICK_PX = 80;
/** Near enough to the top that older messages are paged in (MSG-6). */
const LOAD_OLDER_PX = 300;

function senderOf(item: TimelineItem, self: string): string {
  return item.kind === 'pending' ? self : item.message.senderAccountId;
}

interface ScrollMark {
  chatId: string;
  firstKey: string | undefined;
  lastKey: string | undefined;
  height: number;
}

/**
 * Keeps the log at the bottom for new messages and in place when older ones are added above, and
 * asks for older messages when the reader scrolls near the top.
 */
function useScrollAnchor(chatId: string, items: TimelineItem[], nearTop: () => void) {
  const ref = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const mark = useRef<ScrollMark | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const firstKey = items[0]?.key;
    const lastKey = items[items.length - 1]?.key;
    const prev = mark.current;
    const ownNew = items[items.length - 1]?.kind === 'pending';
    if (!prev || prev.chatId !== chatId) el.scrollTop = el.scrollHeight;
    else if (firstKey !== prev.firstKey && lastKey === prev.lastKey)
      el.scrollTop += el.scrollHeight - prev.height;
    else if (lastKey !== prev.lastKey && (atBottom.current || ownNew)) el.scrollTop = el.scrollHeight;
    mark.current = { chatId, firstKey, lastKey, height: el.scrollHeight };
  }, [chatId, items]);
  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    if (el.scrollTop < LOAD_OLDER_PX) nearTop();
  };
  return { ref, onScroll };
}

/** The conversation's messages (`role="log"`), with day separators. */
export function MessageLog({ chat, title, messages, selfAccountId, onLoadOlder, onRetry }: MessageLogProps) {
  const items = useMemo(() => timeline(messages), [messages]);
  const now = useNow(60_000);
  const canLoadOlder = hasOlderMessages(messages);
  const loadingOlder = messages?.loadingOlder ?? false;
  const { ref, onScroll } = useScrollAnchor(chat.id, items, () => {
    if (canLoadOlder && !loadingOlder) onLoadOlder();
  });
  const empty = items.length === 0;
  return (
    <div
      className="message-log"
      role="log"
      aria-label={`Messages with ${title}`}
      ref={ref}
      onScroll={onScroll}
    >
      <div className="message-log-inner">
        {canLoadOlder &&
          (loadingOlder ? (
            <div className="load-older-status" role="status">
              <Spinner />
              <span>Loading older messages…</span>
            </div>
          ) : (
            <button type="button" className="load-older" onClick={onLoadOlder}>
              Load older messages
            </button>
          ))}
        {empty && chat.lastSeq > 0 && (
          <div className="message-log-loading">
            <Spinner />
          </div>
        )}
        {empty && chat.lastSeq === 0 && <p className="message-log-empty">No messages yet. Say hello!</p>}
        {items.map((item, i) => {
          const prev = items[i - 1];
          const newDay = !prev || formatter.daysBetween(prev.at, item.at) !== 0;
          const firstOfRun =
            newDay || !prev || senderOf(prev, selfAccountId) !== senderOf(item, selfAccountId);
          return (
            <Fragment key={item.key}>
              {newDay && (
                <div className="day-separator">
                  <span>{formatter.dayLabel(item.at, now)}</span>
                </div>
              )}
              <MessageBubble
                item={item}
                chat={chat}
                selfAccountId={selfAccountId}
                firstOfRun={firstOfRun}
                onRetry={onRetry}
              />
            </Fragment>
          );
        })}
      </div>
    </div>
  );
}
