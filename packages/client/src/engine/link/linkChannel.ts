import { type LinkClientFrame, LinkServerFrame } from '@latch/protocol';
import { parseJsonText, type SocketTransport, webSocketUrl } from '../transport';

export interface LinkChannelHandlers {
  onOpen: () => void;
  onFrame: (frame: LinkServerFrame) => void;
  /** The channel is gone: closed by the server, failed, or silent past the first-frame deadline. */
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

/** `WS /v1/link`: the one socket a computer opens without a session. Every frame is validated. */
export function openLinkChannel(
  sockets: SocketTransport,
  origin: string,
  handlers: LinkChannelHandlers,
): LinkChannel {
  let closedByUs = false;
  let stalled: ReturnType<typeof setTimeout> | null = setTimeout(() => {
    closedByUs = true;
    socket.close(1000);
    handlers.onClose(STALLED);
  }, FIRST_FRAME_DEADLINE_MS);
  const settle = () => {
    if (stalled) clearTimeout(stalled);
    stalled = null;
  };
  const socket = sockets.open(webSocketUrl(origin, '/v1/link'), {
    onOpen: () => handlers.onOpen(),
    onMessage: (text) => {
      settle();
      const parsed = LinkServerFrame.safeParse(parseJsonText(text));
      if (parsed.success) handlers.onFrame(parsed.data);
    },
    onClose: (code) => {
      settle();
      if (!closedByUs) handlers.onClose(code);
    },
  });
  return {
    send: (frame) => socket.send(JSON.stringify(frame)),
    close: () => {
      settle();
      closedByUs = true;
      socket.close(1000);
    },
  };
}
