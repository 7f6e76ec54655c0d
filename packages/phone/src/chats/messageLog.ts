import type { MessageView } from '@latch/protocol';

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

export const EMPTY_LOG: MessageLog = { confirmed: [], pending: [] };

/**
 * Adds messages from any source (history page, live event, send result) exactly once: a seq already
 * present is ignored, and a pending message whose clientMsgId the server echoes from this account is
 * dropped in favour of the server's copy.
 */
export function mergeMessages(
  log: MessageLog,
  incoming: readonly MessageView[],
  ownAccountId: string,
): MessageLog {
  if (incoming.length === 0) return log;
  const bySeq = new Map(log.confirmed.map((m) => [m.seq, m]));
  for (const m of incoming) if (!bySeq.has(m.seq)) bySeq.set(m.seq, m);
  const confirmed = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const echoed = new Set(
    incoming.filter((m) => m.senderAccountId === ownAccountId).map((m) => m.clientMsgId),
  );
  const pending = log.pending.filter((p) => !echoed.has(p.clientMsgId));
  if (confirmed.length === log.confirmed.length && pending.length === log.pending.length) return log;
  return { confirmed, pending };
}

export function addPending(log: MessageLog, message: PendingMessage): MessageLog {
  return { ...log, pending: [...log.pending.filter((p) => p.clientMsgId !== message.clientMsgId), message] };
}

export function markPending(log: MessageLog, clientMsgId: string, failed: boolean): MessageLog {
  return {
    ...log,
    pending: log.pending.map((p) => (p.clientMsgId === clientMsgId ? { ...p, failed } : p)),
  };
}
