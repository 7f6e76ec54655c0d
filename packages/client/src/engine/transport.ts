/**
 * The seams through which the engine reaches the network. Browsers use the global WebSocket and
 * fetch (`browserTransport.ts`); Node uses the `ws` package and a cookie jar (`@latch/client/node`);
 * tests use an in-memory server (`testing/`). The engine never touches a socket any other way.
 */

export interface TransportHandlers {
  onOpen: () => void;
  /** One text frame. Binary frames are not part of the protocol and are not passed on. */
  onMessage: (text: string) => void;
  /** The socket is gone (closed by either side or failed to open). Called at most once. */
  onClose: (code: number, reason: string) => void;
}

export interface TransportSocket {
  send: (text: string) => void;
  close: (code?: number, reason?: string) => void;
}

/** Opens WebSockets. Handlers are given at open time, so no event can fire before they are set. */
export interface SocketTransport {
  open: (url: string, handlers: TransportHandlers) => TransportSocket;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Absolute URL (made from the configured origin, never from a request's Host). */
  url: string;
  body?: unknown;
  timeoutMs: number;
}

/** What came back; `json` is unknown until a schema has parsed it. A network failure throws. */
export interface HttpResponse {
  status: number;
  json: unknown;
}

export interface HttpTransport {
  request: (req: HttpRequest) => Promise<HttpResponse>;
}

/** Whether the device has a network at all (the browser's `navigator.onLine`); Node always has. */
export interface NetworkMonitor {
  isOnline: () => boolean;
  /** Calls back on every change; returns the unsubscribe function. */
  subscribe: (onChange: (online: boolean) => void) => () => void;
}

/** For runtimes that cannot tell: always online, never changes. */
export const alwaysOnline: NetworkMonitor = {
  isOnline: () => true,
  subscribe: () => () => undefined,
};

/** `https://host` → `wss://host`. */
export function webSocketUrl(origin: string, pathAndQuery: string): string {
  return `${origin.replace(/^http/, 'ws').replace(/\/$/, '')}${pathAndQuery}`;
}

/** A body's JSON, or null when it is empty or not JSON: a schema decides what it is afterwards. */
export function parseJsonText(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
