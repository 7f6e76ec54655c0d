export * from './browser';
export * from './link';
export * from './phone';
export * from './qr';
export * from './server';
