export * from './api';
export * from './appShell';
export * from './connectionStatus';
export * from './deviceKey';
export * from './heartbeat';
export * from './receipts';
export * from './socket';
export * from './wipe';
