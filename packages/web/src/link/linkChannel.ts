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

/** `WS /v1/link`: the one socket a browser opens without a session. Every frame is validated. */
export function openLinkChannel(handlers: LinkChannelHandlers): LinkChannel {
  const url = `${location.origin.replace(/^http/, 'ws')}/v1/link`;
  const ws = new WebSocket(url);
  let closedByUs = false;
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (ev) => {
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
    if (!closedByUs) handlers.onClose(ev.code);
  };
  return {
    send: (frame) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
    },
    close: () => {
      closedByUs = true;
      ws.close(1000);
    },
  };
}
