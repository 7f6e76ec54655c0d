/** The sync's named sizes and delays (ENG-7, ENG-8). */
export interface SyncTiming {
  /** `messages.sync` page size (the server allows up to `MAX_SYNC_PAGE`). */
  syncPageSize: number;
  /** While catching up, chats that are not open keep this many messages in memory. */
  memoryKeepPerChat: number;
  /** The newest page of a chat fetched when nothing of it is held. */
  historyPageSize: number;
  /** A catch-up the server refused (while still connected) is tried again after this long. */
  catchUpRetryMs: number;
  /** A skipped seq in live traffic is looked at after this long (the missing one may be on its way). */
  liveHoleDelayMs: number;
  /** At most this many history requests to fill one chat's holes at a time. */
  maxRepairRequests: number;
  /** A typing indicator without a follow-up disappears after this long. */
  typingTtlMs: number;
}

export const DEFAULT_SYNC_TIMING: SyncTiming = {
  syncPageSize: 500,
  memoryKeepPerChat: 100,
  historyPageSize: 50,
  catchUpRetryMs: 3_000,
  liveHoleDelayMs: 1_000,
  maxRepairRequests: 10,
  typingTtlMs: 6_000,
};
