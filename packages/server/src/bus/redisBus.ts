import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { BusEventSchema } from './busEventSchema';
import type { Bus, BusEvent, BusHandler, PublishObserver } from './events';

/** The one pub/sub channel every node of a deployment shares; `?channel=` in BUS_URL changes it. */
export const DEFAULT_CHANNEL = 'latch:events';
/** How long a node waits for Redis at start before giving up with a clear error. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** A publish that Redis has not acknowledged by then is given up (and logged). */
export const PUBLISH_TIMEOUT_MS = 1_000;
/** Reconnect backoff: 100 ms, 200 ms, … up to 2 s between tries, for as long as it takes. */
const retryStrategy = (times: number) => Math.min(times * 100, 2_000);
/** After the subscriber reconnects, how long to let the resubscribe land before telling sockets to catch up. */
const RESUBSCRIBE_SETTLE_MS = 250;
/** At most one log line per connection per this interval while Redis is down. */
const ERROR_LOG_INTERVAL_MS = 10_000;

/** What goes on the wire: the event, plus which bus sent it so a node skips its own echo. */
const Envelope = z.object({ v: z.literal(1), origin: z.string().min(1).max(64), event: z.unknown() });

export interface RedisBusOptions {
  log: Logger;
  /** How long {@link RedisBus.open} waits for Redis; default {@link CONNECT_TIMEOUT_MS}. */
  connectTimeoutMs?: number;
  /** Hears this node's own publishes (see {@link PublishObserver}). */
  observe?: PublishObserver;
}

/**
 * The cross-node bus on Redis pub/sub: every node publishes each event as JSON on one channel and
 * hears every other node's events on a second connection (a subscribed connection can do nothing
 * else). A node delivers its own events to its own handlers directly, so its sockets never depend
 * on Redis being up.
 *
 * Redis pub/sub is fire-and-forget: an event published while a subscriber is disconnected is lost
 * for that subscriber. Latch is built for that. Revocations are also re-read from the store by every
 * node every 100 ms (`jobs/revocationSweep.ts`), so a logout still closes sockets everywhere within a
 * second; messages are in the store before they are published, and every device catches up from its
 * cursor when it (re)connects. The bus only makes things fast, never correct. Hence `publish` never
 * throws: a request that already committed must not fail because the fast path is briefly down.
 */
export class RedisBus implements Bus {
  /** Tells this node's own events apart from other nodes' on the shared channel. */
  readonly origin = randomUUID();
  readonly channel: string;
  /** `CLIENT SETNAME` of the two connections, so operators (and tests) can tell them apart. */
  readonly connectionNames: { publisher: string; subscriber: string };
  private readonly connectTimeoutMs: number;
  private readonly handlers = new Set<BusHandler>();
  private readonly recoveredHandlers = new Set<() => void>();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly log: Logger;
  private readonly observe: PublishObserver | undefined;
  private closed = false;
  private dropped = 0;
  private lastDropLog = -Infinity;
  private failedPublishes = 0;
  private lastPublishLog = -Infinity;

  /** Connects both connections and subscribes; throws when Redis cannot be reached in time. */
  static async open(url: string, opts: RedisBusOptions): Promise<RedisBus> {
    const bus = new RedisBus(url, opts);
    try {
      await bus.ready();
    } catch (err) {
      await bus.close();
      throw new Error(
        `Cannot reach Redis at ${redactRedisUrl(url)}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return bus;
  }

  /** Prefer {@link RedisBus.open}; the constructor starts connecting but does not wait. */
  constructor(url: string, opts: RedisBusOptions) {
    const { redisUrl, channel } = parseBusUrl(url);
    this.channel = channel;
    this.log = opts.log.child({ component: 'redis-bus' });
    const tag = this.origin.slice(0, 8);
    this.connectionNames = { publisher: `latch-pub-${tag}`, subscriber: `latch-sub-${tag}` };
    this.connectTimeoutMs = opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    this.observe = opts.observe;
    const common: RedisOptions = { retryStrategy, connectTimeout: this.connectTimeoutMs };
    // The publisher fails fast while disconnected instead of queueing: a queued event would arrive
    // late and out of order with what other nodes already read from the store.
    this.pub = new Redis(redisUrl, {
      ...common,
      connectionName: this.connectionNames.publisher,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: PUBLISH_TIMEOUT_MS,
    });
    // The subscriber reconnects forever and resubscribes on its own (ioredis `autoResubscribe`).
    this.sub = new Redis(redisUrl, {
      ...common,
      connectionName: this.connectionNames.subscriber,
      autoResubscribe: true,
      maxRetriesPerRequest: null,
    });
    this.watch(this.pub, 'publisher');
    this.watch(this.sub, 'subscriber');
    this.sub.on('message', (ch: string, raw: string) => {
      if (ch === this.channel) this.receive(raw);
    });
  }

  async publish(event: BusEvent): Promise<void> {
    if (this.closed) return;
    this.observe?.(event);
    await Promise.resolve();
    this.dispatch(event);
    try {
      await this.pub.publish(this.channel, JSON.stringify({ v: 1, origin: this.origin, event }));
    } catch (err) {
      // See the class comment: other nodes catch up from the store; a committed change stands.
      this.failedPublishes += 1;
      const now = Date.now();
      if (now - this.lastPublishLog < ERROR_LOG_INTERVAL_MS) return;
      this.lastPublishLog = now;
      this.log.warn(
        { err, type: event.type, failed: this.failedPublishes },
        'bus publish failed; other nodes will catch up from the store',
      );
    }
  }

  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  onRecovered(handler: () => void): () => void {
    this.recoveredHandlers.add(handler);
    return () => this.recoveredHandlers.delete(handler);
  }

  /** Both connections up: the publisher answers a PING (within its command timeout) and the subscriber listens. */
  async reachable(): Promise<boolean> {
    if (this.closed || this.sub.status !== 'ready') return false;
    return this.pub.ping().then(
      () => true,
      () => false,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
    await Promise.all([quit(this.sub), quit(this.pub)]);
  }

  /** Resolves once the publisher is connected and the subscriber listens on the channel. */
  private async ready(): Promise<void> {
    const ms = this.connectTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    });
    try {
      await Promise.race([Promise.all([this.sub.subscribe(this.channel), connected(this.pub)]), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private receive(raw: string): void {
    const event = this.decode(raw);
    if (event) this.dispatch(event);
  }

  /** The event in a message from another node, or null (after counting it) for anything else. */
  private decode(raw: string): BusEvent | null {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return this.drop('not JSON');
    }
    const envelope = Envelope.safeParse(json);
    if (!envelope.success) return this.drop('not a Latch envelope');
    if (envelope.data.origin === this.origin) return null; // already delivered locally in publish()
    const event = BusEventSchema.safeParse(envelope.data.event);
    if (event.success) return event.data;
    const issue = event.error.issues[0];
    return this.drop(`invalid event: ${issue?.path.join('.') || 'type'} ${issue?.message ?? ''}`);
  }

  private dispatch(event: BusEvent): void {
    for (const h of this.handlers) {
      try {
        h(event);
      } catch (err) {
        this.log.error({ err, type: event.type }, 'bus handler failed');
      }
    }
  }

  /** Ignores a message that is not ours; logs (without its content, which may hold a message body). */
  private drop(why: string): null {
    this.dropped += 1;
    const now = Date.now();
    if (now - this.lastDropLog >= ERROR_LOG_INTERVAL_MS) {
      this.lastDropLog = now;
      this.log.warn({ why, dropped: this.dropped, channel: this.channel }, 'ignored a malformed bus message');
    }
    return null;
  }

  private watch(conn: Redis, role: string): void {
    let lastErrorLog = 0;
    let wasDown = false;
    conn.on('error', (err: Error) => {
      const now = Date.now();
      if (now - lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
      lastErrorLog = now;
      this.log.warn({ err, role }, 'Redis connection error; reconnecting');
    });
    conn.on('close', () => {
      if (!this.closed) wasDown = true;
    });
    conn.on('ready', () => {
      if (!wasDown) return;
      wasDown = false;
      this.log.info({ role }, 'Redis connection back');
      // Events other nodes published while the subscriber was away are gone: once the automatic
      // resubscribe has gone through, let this node's sockets catch up from the store.
      if (conn === this.sub) {
        setTimeout(() => {
          if (this.closed) return;
          for (const h of this.recoveredHandlers) h();
        }, RESUBSCRIBE_SETTLE_MS).unref();
      }
    });
  }
}

/** `redis://[user:pass@]host:port[/db][?channel=name]`, also `rediss://` for TLS. */
export function parseBusUrl(url: string): { redisUrl: string; channel: string } {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new Error('BUS_URL must start with redis:// or rediss://');
  }
  const channel = u.searchParams.get('channel') || DEFAULT_CHANNEL;
  u.searchParams.delete('channel');
  return { redisUrl: u.toString(), channel };
}

export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://…';
  }
}

function connected(conn: Redis): Promise<void> {
  if (conn.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => conn.once('ready', () => resolve()));
}

/** QUIT politely when connected, then make sure nothing reconnects. */
async function quit(conn: Redis): Promise<void> {
  if (conn.status === 'ready') {
    await Promise.race([conn.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 1_000))]);
  }
  conn.disconnect();
}
