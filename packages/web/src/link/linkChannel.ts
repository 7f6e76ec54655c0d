import { type LinkClientFrame, LinkServerFrame } from '@latch/protocol';

export interface LinkChannelHandlers {
  onOpen: () => void;
  onFrame: (frame: LinkServerFrame) => void;
  onClose: (code: number) => void;
}

export interface LinkChannel {
  send: (frame: LinkClientFrame) => void;
  close: () => void;
}

/**
 * A channel that has not brought its first frame by then is treated as lost (and retried): a
 * handshake can stall, e.g. while another tab's logout makes the browser clear this origin's data.
 */
export const FIRST_FRAME_DEADLINE_MS = 8_000;
/** Our close code for a stalled channel (the application range). */
const STALLED = 4000;

/** `WS /v1/link`: the one socket a browser opens without a session. Every frame is validated. */
export function openLinkChannel(handlers: LinkChannelHandlers): LinkChannel {
  const url = `${location.origin.replace(/^http/, 'ws')}/v1/link`;
  const ws = new WebSocket(url);
  let closedByUs = false;
  let stalled: ReturnType<typeof setTimeout> | null = setTimeout(() => {
    closedByUs = true;
    ws.close();
    handlers.onClose(STALLED);
  }, FIRST_FRAME_DEADLINE_MS);
  const settle = () => {
    if (stalled) clearTimeout(stalled);
    stalled = null;
  };
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (ev) => {
    settle();
    if (typeof ev.data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(ev.data);
    } catch {
      return;
    }
    const parsed = LinkServerFrame.safeParse(json);
    if (parsed.success) handlers.onFrame(parsed.data);
  };
  ws.onclose = (ev) => {
    settle();
    if (!closedByUs) handlers.onClose(ev.code);
  };
  return {
    send: (frame) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
    },
    close: () => {
      settle();
      closedByUs = true;
      ws.close(1000);
    },
  };
}
