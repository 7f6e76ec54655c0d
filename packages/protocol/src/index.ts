export * from './encoding';
export * from './errors';
export * from './gateway';
export * from './http';
export * from './link';
export * from './models';
export * from './primitives';
export * from './rpc';
