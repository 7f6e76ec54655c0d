import { APP_HEADERS } from '../appHeaders';
import { type HttpTransport, type NetworkMonitor, parseJsonText, type SocketTransport } from './transport';

/** WebSockets through the browser's global `WebSocket` (the cookie goes along by itself). */
export const browserSocketTransport: SocketTransport = {
  open(url, handlers) {
    const ws = new WebSocket(url);
    let closed = false;
    ws.onopen = () => handlers.onOpen();
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') handlers.onMessage(ev.data);
    };
    ws.onclose = (ev) => {
      if (closed) return;
      closed = true;
      handlers.onClose(ev.code, ev.reason);
    };
    return {
      send: (text) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(text);
      },
      close: (code, reason) => ws.close(code, reason),
    };
  },
};

/** HTTP through `fetch`, with this origin's cookies and a timeout on every request. */
export const browserHttpTransport: HttpTransport = {
  async request({ method, url, body, timeoutMs }) {
    const res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? APP_HEADERS : { ...APP_HEADERS, 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, json: parseJsonText(await res.text()) };
  },
};

/** `navigator.onLine` and the window's `online`/`offline` events. */
export const browserNetworkMonitor: NetworkMonitor = {
  isOnline: () => navigator.onLine,
  subscribe(onChange) {
    const online = () => onChange(true);
    const offline = () => onChange(false);
    addEventListener('online', online);
    addEventListener('offline', offline);
    return () => {
      removeEventListener('online', online);
      removeEventListener('offline', offline);
    };
  },
};
