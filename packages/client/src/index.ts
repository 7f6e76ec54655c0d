export * from './api';
export * from './deviceKey';
export * from './receipts';
export * from './socket';
export * from './wipe';
