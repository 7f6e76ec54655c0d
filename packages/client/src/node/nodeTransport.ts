import WebSocket from 'ws';
import { APP_HEADERS } from '../appHeaders';
import { type HttpTransport, parseJsonText, type SocketTransport } from '../engine/transport';
import type { CookieJar } from './cookieJar';

/** What a Node tool may set on its sockets beyond the cookie and `Origin`. */
export interface NodeSocketOptions {
  /** Extra upgrade headers (e.g. a `user-agent` on the link channel). */
  headers?: Record<string, string>;
  /** A loopback source address (127.0.0.x): the bench spreads many sockets over more ports. */
  localAddress?: string;
  /** Offer permessage-deflate (ws's default). The bench turns it off, as the server does. */
  perMessageDeflate?: boolean;
}

/**
 * WebSockets through the `ws` package, with the jar's cookie and the configured origin as `Origin`
 * (the server checks it, AUTH-5). Kept out of the browser entry so no bundle ever imports `ws`.
 */
export function nodeSocketTransport(
  jar: CookieJar,
  origin: string,
  options: NodeSocketOptions = {},
): SocketTransport {
  return {
    open(url, handlers) {
      const cookie = jar.header();
      const ws = new WebSocket(url, {
        headers: { origin, ...options.headers, ...(cookie ? { cookie } : {}) },
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        ...(options.perMessageDeflate === false ? { perMessageDeflate: false } : {}),
      });
      let closed = false;
      const close = (code: number, reason: string) => {
        if (closed) return;
        closed = true;
        handlers.onClose(code, reason);
      };
      ws.on('open', () => handlers.onOpen());
      ws.on('message', (data, isBinary) => {
        if (!isBinary) handlers.onMessage(data.toString());
      });
      ws.on('close', (code, reason) => close(code, reason.toString()));
      // A refused upgrade or a reset: reported as an abnormal close, like a browser does.
      ws.on('error', () => close(1006, ''));
      return {
        send: (text) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(text);
        },
        close: (code, reason) => {
          if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
          else ws.close(code, reason);
        },
      };
    },
  };
}

/** HTTP through Node's fetch, carrying and updating the jar's cookies. */
export function nodeHttpTransport(jar: CookieJar, origin: string): HttpTransport {
  return {
    async request({ method, url, body, timeoutMs }) {
      const cookie = jar.header();
      const res = await fetch(url, {
        method,
        headers: {
          ...APP_HEADERS,
          origin,
          ...(cookie ? { cookie } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      jar.absorb(res.headers.getSetCookie());
      return { status: res.status, json: parseJsonText(await res.text()) };
    },
  };
}
