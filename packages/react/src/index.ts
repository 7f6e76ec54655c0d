/** React hooks over the client engine: the apps' screens are views of its snapshot (DESIGN §9). */
export * from './engineContext';
export * from './formatter';
export * from './useAsyncAction';
export * from './useChatActions';
export * from './useChats';
export * from './useConnectionStatus';
