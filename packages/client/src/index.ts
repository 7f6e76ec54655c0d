export * from './api';
export * from './deviceKey';
export * from './socket';
export * from './wipe';
