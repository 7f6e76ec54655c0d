/** The client engine's public API (see packages/client/README.md). */
export { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff';
export { browserHttpTransport, browserNetworkMonitor, browserSocketTransport } from './browserTransport';
export { type CacheDelta, cacheDelta } from './cache/cacheDelta';
export { CACHE_VERSION, type CacheSnapshot, parseCache } from './cache/cacheRecords';
export { IndexedDbCache } from './cache/indexedDbCache';
export { type LocalCache, MemoryCache } from './cache/localCache';
export { Connection, type ConnectionOptions } from './connection';
export {
  type ConnectionKind,
  type ConnectionState,
  type ConnectionTiming,
  DEFAULT_CONNECTION_TIMING,
  isTerminal,
} from './connectionState';
export {
  CACHE_KEEP_PER_CHAT,
  CACHE_WRITE_EVERY_MS,
  type EngineOptions,
  type EngineSnapshot,
  LatchEngine,
  type WipeState,
} from './engine';
export {
  createFormatter,
  type Formatter,
  type FormatterOptions,
  formatCountdown,
  formatWait,
} from './format/formatter';
export { type CountryCode, formatPhoneNumber, parsePhoneInput } from './format/phoneNumbers';
export type { LinkedIdentity } from './identity';
export * from './link/linkApproval';
export * from './link/linkComputer';
export * from './link/linkFlowReducer';
export {
  isRetryable,
  LOGOUT_TIMEOUT_MS,
  type LogoutSource,
  performLogout,
  type WipeHooks,
  type WipeReport,
} from './logout';
export { checkMessageText, OUTBOX_RETRY_MS, Outbox, outboxQueue, type SendRefusal } from './outbox';
export { type Listener, Store } from './store';
export {
  type ChatMessages,
  emptyMessages,
  mergeChat,
  mergeMessages,
  type PendingMessage,
} from './sync/chatMerge';
export * from './sync/chatSelectors';
export {
  type CatchUp,
  type ChatsAction,
  type ChatsSeed,
  type ChatsState,
  chatsReducer,
  initialChatsState,
  seededChatsState,
} from './sync/chatsReducer';
export { DEFAULT_SYNC_TIMING, type SyncTiming } from './sync/syncTiming';
export {
  alwaysOnline,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type NetworkMonitor,
  type SocketTransport,
  type TransportHandlers,
  type TransportSocket,
  webSocketUrl,
} from './transport';
