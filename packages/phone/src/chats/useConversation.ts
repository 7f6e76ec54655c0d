import { hasOlderMessages, timeline } from '@latch/client';
import type { ChatView, MessageView } from '@latch/protocol';
import { useChat } from '@latch/react';
import { useEffect, useMemo } from 'react';

/** A message this phone is sending: shown at once, replaced by the server's copy when it arrives. */
export interface PendingMessage {
  clientMsgId: string;
  text: string;
  createdAt: number;
  failed: boolean;
}

/** One conversation's messages: confirmed ones in seq order, then this phone's pending ones. */
export interface MessageLog {
  confirmed: MessageView[];
  pending: PendingMessage[];
}

export interface Conversation {
  log: MessageLog;
  /** Older messages exist on the server. */
  hasEarlier: boolean;
  loadEarlier: () => void;
  send: (text: string) => void;
  retry: (clientMsgId: string) => void;
}

/**
 * One open chat, as the engine holds it: synced exactly once from the cursor (ENG-7, MSG-1), the
 * outbox with the same clientMsgId on every retry (MSG-2), and read receipts for what is on screen.
 */
export function useConversation(chat: ChatView, ownAccountId: string): Conversation {
  const open = useChat(chat.id);
  const { messages, markRead } = open;
  const log = useMemo<MessageLog>(() => {
    const confirmed: MessageView[] = [];
    const pending: PendingMessage[] = [];
    for (const item of timeline(messages)) {
      if (item.kind === 'message') confirmed.push(item.message);
      else pending.push({ ...item.pending, failed: item.pending.status === 'failed' });
    }
    return { confirmed, pending };
  }, [messages]);

  // Everything shown from the others has been read.
  const lastIncoming = log.confirmed.reduce(
    (max, m) => (m.senderAccountId !== ownAccountId && m.seq > max ? m.seq : max),
    0,
  );
  useEffect(() => {
    if (lastIncoming > chat.readSeq) markRead(lastIncoming);
  }, [lastIncoming, chat.readSeq, markRead]);

  return {
    log,
    hasEarlier: hasOlderMessages(messages),
    loadEarlier: open.loadOlder,
    send: open.send,
    retry: (clientMsgId) => {
      const pending = messages.pending.find((p) => p.clientMsgId === clientMsgId);
      if (pending) open.retry(pending);
    },
  };
}
