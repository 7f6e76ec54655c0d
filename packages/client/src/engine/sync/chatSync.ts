import type { ServerEventFrame } from '@latch/protocol';
import type { Connection } from '../connection';
import type { Store } from '../store';
import { emptyMessages, mergeMessages } from './chatMerge';
import { hasOlderMessages, missingRanges, newestSeq, oldestSeq } from './chatSelectors';
import { type ChatsAction, type ChatsState, chatsReducer } from './chatsReducer';
import type { SyncTiming } from './syncTiming';

export interface ChatSyncDeps {
  connection: Connection;
  state: Store<ChatsState>;
  /** This account's id (from `ready`, or the cache before it). */
  selfAccountId: () => string | null;
  timing: SyncTiming;
  /** Called each time a catch-up reaches `live` (the outbox sends then). */
  onLive: () => void;
}

/**
 * Keeps the chats state in step with the server (ENG-7, ENG-8): on every `ready` and every `resync`
 * frame it lists the chats and pages `messages.sync` from the cursor; live frames merge by
 * (chat, seq); holes in a chat's seqs are filled from `messages.history`. The rules themselves are
 * the pure {@link chatsReducer}; this class only performs their side effects.
 */
export class ChatSync {
  private openChatId: string | null = null;
  private readonly repairing = new Set<string>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private wasReady = false;
  private readonly unsubscribers: Array<() => void> = [];

  constructor(private readonly deps: ChatSyncDeps) {}

  start(): void {
    const { connection } = this.deps;
    // Synchronous with the connection: no live frame is applied between `ready` and the catch-up start.
    this.unsubscribers.push(connection.subscribe(() => this.followConnection()));
    this.unsubscribers.push(connection.onEvent((frame) => this.onEvent(frame)));
    this.followConnection();
  }

  dispose(): void {
    for (const off of this.unsubscribers.splice(0)) off();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.typingTimer) clearTimeout(this.typingTimer);
  }

  dispatch(action: ChatsAction): void {
    this.deps.state.update((state) => chatsReducer(state, action));
  }

  /** The chat on screen keeps all its messages in memory and is filled when nothing of it is held. */
  setOpenChat(chatId: string | null): void {
    this.openChatId = chatId;
    if (chatId) this.repair(chatId);
  }

  loadChats(): void {
    this.deps.connection.request('chats.list', {}).then(
      ({ chats }) => this.dispatch({ type: 'chats_loaded', chats }),
      () => this.dispatch({ type: 'chats_failed' }),
    );
  }

  /** Pages in the messages before the oldest one held (scrolling up), one request at a time. */
  loadOlder(chatId: string): void {
    const messages = this.deps.state.getSnapshot().messages[chatId];
    const oldest = oldestSeq(messages);
    if (oldest === null || messages?.loadingOlder || !hasOlderMessages(messages)) return;
    this.dispatch({ type: 'older_requested', chatId });
    const limit = this.deps.timing.historyPageSize;
    this.deps.connection.request('messages.history', { chatId, beforeSeq: oldest, limit }).then(
      ({ messages: older }) =>
        this.dispatch({ type: 'history_loaded', chatId, messages: older, older: true }),
      () => this.dispatch({ type: 'older_failed', chatId }),
    );
  }

  /** Fills the holes (and the top) of one chat from `messages.history`, after `delayMs`. */
  repair(chatId: string, delayMs = 0): void {
    if (this.repairing.has(chatId)) return;
    this.repairing.add(chatId);
    this.after(delayMs, () => {
      this.repairChat(chatId)
        .catch(() => undefined)
        .finally(() => this.repairing.delete(chatId));
    });
  }

  private followConnection(): void {
    const ready = this.deps.connection.state.kind === 'ready';
    if (ready === this.wasReady) return;
    this.wasReady = ready;
    if (ready) this.startCatchUp();
    else this.dispatch({ type: 'disconnected' });
  }

  private startCatchUp(): void {
    this.dispatch({ type: 'connected' });
    const catchUp = this.deps.state.getSnapshot().catchUp;
    if (catchUp.kind === 'running') void this.runCatchUp(catchUp.run);
  }

  private isRunning(run: number): boolean {
    const catchUp = this.deps.state.getSnapshot().catchUp;
    return catchUp.kind === 'running' && catchUp.run === run;
  }

  private async runCatchUp(run: number): Promise<void> {
    const { connection, timing } = this.deps;
    this.loadChats();
    const seen = new Set<string>();
    let afterId = this.deps.state.getSnapshot().cursor;
    try {
      for (;;) {
        const page = await connection.request('messages.sync', { afterId, limit: timing.syncPageSize });
        if (!this.isRunning(run)) return;
        for (const m of page.messages) seen.add(m.chatId);
        this.dispatch({
          type: 'sync_page',
          run,
          messages: page.messages,
          nextAfterId: page.nextAfterId,
          selfAccountId: this.deps.selfAccountId() ?? '',
          keep: timing.memoryKeepPerChat,
          openChatId: this.openChatId,
        });
        if (page.done) break;
        afterId = page.nextAfterId;
      }
    } catch {
      // Connection lost: the next `ready` starts again from the cursor. Refused: try again later.
      this.after(timing.catchUpRetryMs, () => {
        if (this.isRunning(run) && connection.state.kind === 'ready') this.startCatchUp();
      });
      return;
    }
    if (!this.isRunning(run)) return;
    this.dispatch({ type: 'caught_up', run });
    const state = this.deps.state.getSnapshot();
    // A chat created while the list was on its way: list again.
    if ([...seen].some((id) => !state.chats[id])) this.loadChats();
    for (const chatId of Object.keys(state.chats)) {
      if (chatId === this.openChatId || newestSeq(state.messages[chatId]) > 0) this.repair(chatId);
    }
    this.deps.onLive();
  }

  private async repairChat(chatId: string): Promise<void> {
    const { connection, state, timing } = this.deps;
    let held = state.getSnapshot().messages[chatId] ?? emptyMessages;
    for (let i = 0; i < timing.maxRepairRequests; i++) {
      const chat = state.getSnapshot().chats[chatId];
      if (!chat) return;
      const [next] = missingRanges(held, chat.lastSeq, timing.historyPageSize);
      if (!next) return;
      const { messages } = await connection.request('messages.history', { chatId, ...next });
      this.dispatch({ type: 'history_loaded', chatId, messages, older: false });
      if (messages.length === 0) return;
      held = mergeMessages(held, messages);
    }
  }

  private onEvent(frame: ServerEventFrame): void {
    const state = this.deps.state.getSnapshot();
    const selfAccountId = this.deps.selfAccountId() ?? '';
    switch (frame.type) {
      case 'message': {
        const { message, syncId } = frame;
        const held = newestSeq(state.messages[message.chatId]);
        this.dispatch({ type: 'message_received', message, selfAccountId, syncId });
        if (!state.chats[message.chatId]) this.loadChats();
        // A seq skipped means a message was missed (delivered out of order): fetch it (ENG-8).
        else if (held > 0 && message.seq > held + 1 && state.catchUp.kind === 'live')
          this.repair(message.chatId, this.deps.timing.liveHoleDelayMs);
        return;
      }
      case 'chat':
        this.dispatch({ type: 'chat_upserted', chat: frame.chat });
        return;
      case 'receipts':
        this.dispatch({ type: 'receipts_moved', receipts: frame });
        return;
      case 'chat.removed':
        this.dispatch({ type: 'chat_removed', chatId: frame.chatId });
        return;
      case 'resync':
        // BUS-6: the server may have missed live events for us: catch up from the cursor again.
        if (this.deps.connection.state.kind === 'ready') this.startCatchUp();
        return;
      case 'typing':
        if (frame.accountId === selfAccountId) return;
        this.dispatch({
          type: 'typing_changed',
          chatId: frame.chatId,
          accountId: frame.accountId,
          typing: frame.typing,
          until: Date.now() + this.deps.timing.typingTtlMs,
        });
        this.scheduleTypingExpiry();
        return;
      default:
        return;
    }
  }

  /** Drops typing indicators whose sender went quiet without saying "stopped". */
  private scheduleTypingExpiry(): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = null;
    let earliest = Number.POSITIVE_INFINITY;
    for (const inChat of Object.values(this.deps.state.getSnapshot().typing)) {
      for (const until of Object.values(inChat)) earliest = Math.min(earliest, until);
    }
    if (earliest === Number.POSITIVE_INFINITY) return;
    this.typingTimer = setTimeout(
      () => {
        this.typingTimer = null;
        this.dispatch({ type: 'typing_expired', now: Date.now() });
        this.scheduleTypingExpiry();
      },
      Math.max(0, earliest - Date.now()) + 1,
    );
  }

  private after(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}
