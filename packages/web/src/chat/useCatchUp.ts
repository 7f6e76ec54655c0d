import type { LatchSocket } from '@latch/client';
import { type ActionDispatch, type RefObject, useEffect, useEffectEvent, useRef } from 'react';
import type { Connection } from '../app/Connection';
import { emptyMessages, mergeMessages } from './chatMerge';
import { missingRanges, newestSeq } from './chatSelectors';
import type { ChatsAction, ChatsState } from './chatsReducer';

/** `messages.sync` page size (the server allows up to 1,000). */
const SYNC_PAGE_SIZE = 500;
/** While catching up, chats that are not open keep this many messages in memory; older ones page in. */
export const MEMORY_KEEP_PER_CHAT = 100;
/** The newest page of a chat fetched when nothing of it is held. */
export const PAGE_SIZE = 50;
/** A catch-up the server refused (while still connected) is tried again after this long. */
const RETRY_MS = 3_000;
/** At most this many history requests to fill one chat's holes at a time. */
const MAX_REPAIR_REQUESTS = 10;
/** A skipped seq in live traffic is looked at again after this long (the missing one may be on its way). */
export const LIVE_HOLE_DELAY_MS = 1_000;

type Dispatch = ActionDispatch<[action: ChatsAction]>;

interface CatchUpOptions {
  connection: Connection;
  state: ChatsState;
  stateRef: RefObject<ChatsState>;
  dispatch: Dispatch;
  selfAccountId: string;
  openChatId: string | null;
  loadChats: () => void;
  /** Sends again whatever is still pending (same clientMsgId: never twice, MSG-2). */
  resendPending: () => void;
}

/** Fills the holes (and the top) of one chat's messages from `messages.history`. */
async function repairChat(
  socket: LatchSocket,
  stateRef: RefObject<ChatsState>,
  dispatch: Dispatch,
  chatId: string,
) {
  let held = stateRef.current.messages[chatId] ?? emptyMessages;
  for (let i = 0; i < MAX_REPAIR_REQUESTS; i++) {
    const chat = stateRef.current.chats[chatId];
    if (!chat) return;
    const [next] = missingRanges(held, chat.lastSeq, PAGE_SIZE);
    if (!next) return;
    const { messages } = await socket.request('messages.history', { chatId, ...next });
    dispatch({ type: 'history_loaded', chatId, messages, older: false });
    if (messages.length === 0) return;
    held = mergeMessages(held, messages);
  }
}

/**
 * MSG-1, exactly once: on every `ready` (first connect and each reconnect), refetch the chat list
 * and page through `messages.sync` from the cursor until `done`; then fill any hole a message
 * delivered out of order left (per chat, seqs have none), and resend what is pending.
 */
export function useCatchUp(opts: CatchUpOptions): { repair: (chatId: string, delayMs?: number) => void } {
  const { connection, state, stateRef, dispatch } = opts;
  const socket = connection.socket;
  const repairing = useRef(new Set<string>());
  const openChat = useRef(opts.openChatId);
  openChat.current = opts.openChatId;

  const repair = (chatId: string, delayMs = 0) => {
    if (repairing.current.has(chatId)) return;
    repairing.current.add(chatId);
    new Promise((resolve) => setTimeout(resolve, delayMs))
      .then(() => repairChat(socket, stateRef, dispatch, chatId))
      .catch(() => undefined)
      .finally(() => repairing.current.delete(chatId));
  };

  // Synchronous with the socket, so no live frame can be applied between `ready` and the start.
  useEffect(() => {
    const follow = () => dispatch({ type: connection.state.kind === 'ready' ? 'connected' : 'disconnected' });
    if (connection.state.kind === 'ready') follow();
    return connection.subscribeState(follow);
  }, [connection, dispatch]);

  const run = useEffectEvent(async (run: number, from: number) => {
    opts.loadChats();
    const seen = new Set<string>();
    let afterId = from;
    try {
      for (;;) {
        const page = await socket.request('messages.sync', { afterId, limit: SYNC_PAGE_SIZE });
        for (const m of page.messages) seen.add(m.chatId);
        dispatch({
          type: 'sync_page',
          run,
          messages: page.messages,
          nextAfterId: page.nextAfterId,
          selfAccountId: opts.selfAccountId,
          keep: MEMORY_KEEP_PER_CHAT,
          openChatId: openChat.current,
        });
        if (page.done) break;
        afterId = page.nextAfterId;
      }
    } catch {
      // Connection lost: the next `ready` starts again from the cursor. Refused: try again.
      setTimeout(() => {
        const now = stateRef.current.catchUp;
        if (now.kind === 'running' && now.run === run && socket.current.kind === 'ready') {
          dispatch({ type: 'connected' });
        }
      }, RETRY_MS);
      return;
    }
    dispatch({ type: 'caught_up', run });
    // A chat created while the list was on its way: list again.
    if ([...seen].some((id) => !stateRef.current.chats[id])) opts.loadChats();
  });

  const afterCatchUp = useEffectEvent(() => {
    const current = stateRef.current;
    for (const chatId of Object.keys(current.chats)) {
      if (chatId === openChat.current || newestSeq(current.messages[chatId]) > 0) repair(chatId);
    }
    opts.resendPending();
  });

  useEffect(() => {
    const catchUp = state.catchUp;
    if (catchUp.kind === 'running') void run(catchUp.run, stateRef.current.cursor);
    if (catchUp.kind === 'live') afterCatchUp();
  }, [state.catchUp, stateRef]);

  return { repair };
}
