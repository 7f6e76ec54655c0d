import type { IncomingMessage } from 'node:http';
import { CloseCode, LinkClientFrame, type LinkServerFrame } from '@latch/protocol';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Config } from '../config';
import { AppError } from '../errors';
import type { Metrics } from '../metrics';
import { APPROVAL_WINDOW_MS } from '../services/link.service';
import type { Services } from '../services/services';
import type { Connections } from './connections';
import { closeWith, parseFrame, TokenBucket } from './frames';

export const LINK_START_TIMEOUT_MS = 10_000;
/** Close reasons (with 4429) of the per-IP caps on link channels (LIM-4). */
export const TOO_MANY_LINK_CHANNELS = 'Too many link channels open from this network';
export const TOO_MANY_LINK_STARTS = 'Too many new link attempts from this network';

/** Where one link attempt is; each state owns at most one timer. */
type LinkState =
  | { kind: 'awaiting_start' }
  | { kind: 'qr'; linkId: string; index: number }
  | { kind: 'code'; linkId: string }
  | { kind: 'scanned'; linkId: string }
  | { kind: 'done' };

/**
 * /v1/link: one browser's link attempt. Issues rotating QR refs (first one longer), switches to a
 * phone-number code on request, pauses while the phone is deciding, and ends linked or expired.
 */
export function handleLinkSocket(
  deps: {
    services: Services;
    conns: Connections;
    log: Logger;
    config: Config;
    metrics: Metrics;
    /** Work that outlives the socket; the server drains it before closing the store. */
    background: (work: Promise<unknown>) => void;
  },
  ws: WebSocket,
  req: IncomingMessage,
  ip: string,
): void {
  const { services, conns, config, log } = deps;
  if (!conns.openLinkChannel(ip, config.limits.linkChannelsPerIp)) {
    closeWith(ws, CloseCode.rateLimited, TOO_MANY_LINK_CHANNELS);
    return;
  }
  let state: LinkState = { kind: 'awaiting_start' };
  let startedId: string | null = null;
  let timer: NodeJS.Timeout | null = setTimeout(
    () => closeWith(ws, CloseCode.badFrame, 'Send link.start first'),
    LINK_START_TIMEOUT_MS,
  );
  const bucket = new TokenBucket(5, 20);
  const send = (frame: LinkServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const after = (ms: number, fn: () => Promise<void>) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => fn().catch(fail), ms);
  };
  const fail = (err: unknown) => {
    if (err instanceof AppError) {
      if (err.code === 'rate_limited') deps.metrics.rateLimitRefused('link');
      return send({ type: 'link.error', error: err.toPayload() });
    }
    log.error({ err }, 'link channel failed');
    closeWith(ws, 1011, 'Internal error');
  };
  const expire = async () => {
    state = { kind: 'done' };
    send({ type: 'link.expired' });
    closeWith(ws, CloseCode.linkExpired, 'Link attempt expired');
  };

  const nextRef = async (linkId: string, index: number) => {
    if (index > config.link.maxRefs) return expire();
    const ttl = index === 1 ? config.link.firstRefTtlMs : config.link.refTtlMs;
    const ref = await services.links.issueRef(linkId, ttl);
    state = { kind: 'qr', linkId, index };
    send({ type: 'link.ref', ref, expiresInMs: ttl, index, max: config.link.maxRefs });
    after(ttl, () => nextRef(linkId, index + 1));
  };

  const deliver = (frame: LinkServerFrame) => {
    if (state.kind === 'done' || state.kind === 'awaiting_start') return;
    const linkId = state.linkId;
    send(frame);
    if (frame.type === 'link.scanned') {
      state = { kind: 'scanned', linkId };
      after(APPROVAL_WINDOW_MS, expire);
    } else if (frame.type === 'link.approved') {
      state = { kind: 'done' };
      if (timer) clearTimeout(timer);
      closeWith(ws, CloseCode.linkDone, 'Linked');
    } else if (frame.type === 'link.error') {
      // The phone declined: start over with fresh refs.
      after(0, () => nextRef(linkId, 1));
    }
  };

  const onFrame = async (frame: LinkClientFrame) => {
    switch (frame.type) {
      case 'link.start': {
        if (state.kind !== 'awaiting_start') return closeWith(ws, CloseCode.badFrame, 'Already started');
        const linkId = await services.links
          .start({
            publicKey: frame.publicKey,
            keepSignedIn: frame.keepSignedIn,
            ip,
            userAgent: req.headers['user-agent'],
          })
          .catch((err: unknown) => {
            if (!(err instanceof AppError) || err.code !== 'rate_limited') throw err;
            send({ type: 'link.error', error: err.toPayload() });
            closeWith(ws, CloseCode.rateLimited, TOO_MANY_LINK_STARTS);
            return null;
          });
        if (linkId === null) return;
        startedId = linkId;
        conns.addLink({ linkId, deliver });
        return nextRef(linkId, 1);
      }
      case 'link.byPhone': {
        if (state.kind !== 'qr' && state.kind !== 'code')
          return closeWith(ws, CloseCode.badFrame, 'Not linking');
        const linkId = state.linkId;
        const { code, expiresInMs } = await services.links.issueCode(linkId, frame.phoneNumber, ip);
        state = { kind: 'code', linkId };
        send({ type: 'link.code', code, expiresInMs });
        after(expiresInMs, expire);
        return;
      }
      case 'link.useQr': {
        if (state.kind !== 'code') return;
        await services.links.clearCode(state.linkId);
        return nextRef(state.linkId, 1);
      }
      default: {
        const missing: never = frame;
        throw new Error(`Unhandled link frame ${JSON.stringify(missing)}`);
      }
    }
  };

  ws.on('message', (data, isBinary) => {
    if (!bucket.take()) {
      deps.metrics.rateLimitRefused('socket_flood');
      return closeWith(ws, CloseCode.rateLimited, 'Too many frames');
    }
    const frame = parseFrame(ws, data, isBinary, LinkClientFrame);
    if (frame) onFrame(frame).catch(fail);
  });
  ws.on('close', () => {
    conns.closeLinkChannel(ip);
    if (timer) clearTimeout(timer);
    if (!startedId) return;
    conns.removeLink(startedId);
    deps.background(services.links.close(startedId));
  });
}
