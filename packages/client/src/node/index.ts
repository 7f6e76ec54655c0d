/**
 * `@latch/client/node`: the engine's transports for Node (the headless device, the CLI, the bench,
 * integration tests). Everything else is imported from `@latch/client`.
 */
export { CookieJar } from './cookieJar';
export { nodeHttpTransport, nodeSocketTransport } from './nodeTransport';
