/**
 * The headless device is the client engine in Node (ENG-14): `@latch/client/node`. This module
 * keeps the old import path for the server's tests and tools.
 */
export * from '@latch/client/node';
