import { randomBase64Url } from '@latch/client';
import type { ChatView, MessageView } from '@latch/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useOnReady, useServerEvent, useSession } from '../session/SessionContext';
import { addPending, EMPTY_LOG, type MessageLog, markPending, mergeMessages } from './messageLog';

const PAGE = 50;
/** After a long disconnect, at most this many pages are fetched to close the gap; older ones load on demand. */
const CATCH_UP_PAGES = 10;

export interface Conversation {
  log: MessageLog;
  /** Older messages exist on the server. */
  hasEarlier: boolean;
  loadEarlier: () => void;
  send: (text: string) => void;
  retry: (clientMsgId: string) => void;
}

/**
 * One open chat's messages: history (refetched after reconnects so nothing is missed), live messages
 * merged exactly once, sending with a pending state, and read receipts for what is on screen.
 */
export function useConversation(chat: ChatView, ownAccountId: string): Conversation {
  const session = useSession();
  const chatId = chat.id;
  const [log, setLog] = useState<MessageLog>(EMPTY_LOG);
  const [hasEarlier, setHasEarlier] = useState(false);
  const merge = useCallback(
    (messages: readonly MessageView[]) => setLog((l) => mergeMessages(l, messages, ownAccountId)),
    [ownAccountId],
  );

  const logRef = useRef(log);
  logRef.current = log;

  /**
   * First open: the latest page. After a reconnect or a `resync`: page back until the gap since the
   * last message already shown is closed, so nothing in between is skipped (MSG-1).
   */
  const catchUp = useCallback(async () => {
    const known = logRef.current.confirmed.at(-1)?.seq ?? 0;
    let beforeSeq: number | undefined;
    for (let page = 0; page < CATCH_UP_PAGES; page++) {
      const { messages } = await session.request('messages.history', { chatId, limit: PAGE, beforeSeq });
      merge(messages);
      const first = messages[0]?.seq ?? 1;
      if (page === 0 && known === 0) setHasEarlier(messages.length === PAGE && first > 1);
      if (known === 0 || messages.length < PAGE || first <= known + 1) return;
      beforeSeq = first;
    }
    setHasEarlier(true);
  }, [chatId, merge, session]);

  useServerEvent('resync', () => void catchUp().catch(() => undefined));
  useServerEvent('message', ({ message }) => {
    if (message.chatId === chatId) merge([message]);
  });
  useReadReceipts(chat, log, ownAccountId);

  const deliver = useCallback(
    (clientMsgId: string, text: string) => {
      session.request('messages.send', { chatId, clientMsgId, text }).then(
        (message) => merge([message]),
        () => setLog((l) => markPending(l, clientMsgId, true)),
      );
    },
    [chatId, merge, session],
  );

  const send = useCallback(
    (text: string) => {
      const clientMsgId = randomBase64Url(12);
      setLog((l) => addPending(l, { clientMsgId, text, createdAt: Date.now(), failed: false }));
      deliver(clientMsgId, text);
    },
    [deliver],
  );

  const retry = useCallback(
    (clientMsgId: string) => {
      const message = log.pending.find((p) => p.clientMsgId === clientMsgId);
      if (!message) return;
      setLog((l) => markPending(l, clientMsgId, false));
      // Same clientMsgId: if the first attempt did reach the server, it will not be stored twice.
      deliver(clientMsgId, message.text);
    },
    [deliver, log.pending],
  );

  const retryRef = useRef(retry);
  retryRef.current = retry;
  useOnReady(() => {
    void catchUp().catch(() => undefined);
    // MSG-2: messages that failed while offline go again, with the same clientMsgId, once connected.
    for (const p of logRef.current.pending) if (p.failed) retryRef.current(p.clientMsgId);
  });

  const loadEarlier = useCallback(() => {
    const first = log.confirmed[0]?.seq;
    if (!first) return;
    session.request('messages.history', { chatId, beforeSeq: first, limit: PAGE }).then(
      ({ messages }) => {
        merge(messages);
        setHasEarlier(messages.length === PAGE);
      },
      () => undefined,
    );
  }, [chatId, log.confirmed, merge, session]);

  return { log, hasEarlier, loadEarlier, send, retry };
}

/** Tells the server that everything shown from the others has been read. */
function useReadReceipts(chat: ChatView, log: MessageLog, ownAccountId: string): void {
  const session = useSession();
  const readSent = useRef(chat.readSeq);
  const lastIncoming = log.confirmed.reduce(
    (max, m) => (m.senderAccountId !== ownAccountId && m.seq > max ? m.seq : max),
    0,
  );
  useEffect(() => {
    if (lastIncoming <= readSent.current) return;
    readSent.current = lastIncoming;
    session.request('messages.read', { chatId: chat.id, seq: lastIncoming }).catch(() => undefined);
  }, [lastIncoming, chat.id, session]);
}
