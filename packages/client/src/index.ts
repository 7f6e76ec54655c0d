/** Protocol limits, exported once from @latch/protocol, so both apps read them from here too. */
export {
  MAX_CLIENT_MSG_ID_LENGTH,
  MAX_HISTORY_PAGE,
  MAX_MESSAGE_LENGTH,
  MAX_SYNC_PAGE,
  MIN_CLIENT_MSG_ID_LENGTH,
} from '@latch/protocol';
export * from './api';
export * from './appShell';
export * from './connectionStatus';
export * from './deviceKey';
export * from './engine';
export * from './navigation';
export * from './receipts';
export * from './wipe';
