/**
 * `@latch/client/node`: the engine's transports for Node (the headless device, the CLI, the bench,
 * integration tests). Everything else is imported from `@latch/client`.
 */
export { CookieJar } from './cookieJar';
export {
  DeviceSocket,
  HeadlessDevice,
  type RpcAnswer,
  RpcFailure,
} from './headlessDevice';
export {
  approveLink,
  type HeadlessPhoneSession,
  LinkAttempt,
  linkHeadlessComputer,
  registerHeadlessPhone,
} from './headlessLink';
export { type NodeSocketOptions, nodeHttpTransport, nodeSocketTransport } from './nodeTransport';
