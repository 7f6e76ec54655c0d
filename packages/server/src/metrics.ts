import { LogoutReason, type SecurityEventView } from '@latch/protocol';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What a socket on a node is: a phone, a linked computer, or a browser on the link channel. */
export type SocketKind = 'primary' | 'companion' | 'link';
export type HandshakeResult = 'ok' | 'failed';
/** Where a request was refused for going too fast. */
export type RefusalSite = 'http' | 'rpc' | 'link' | 'socket_flood';

const SOCKET_KINDS: SocketKind[] = ['primary', 'companion', 'link'];
const REFUSAL_SITES: RefusalSite[] = ['http', 'rpc', 'link', 'socket_flood'];

/**
 * The node's Prometheus series, behind one small interface: services and the gateway call its
 * methods and never import prom-client. Each node owns its registry (tests run several nodes in one
 * process; prom-client's global registry would mix them). Names and meanings: docs/deploy.md.
 */
export class Metrics {
  readonly registry = new Registry();
  private socketCounts: () => Record<SocketKind, number> = () => ({ primary: 0, companion: 0, link: 0 });
  private readonly handshakes: Counter<'result'>;
  private readonly sent: Counter;
  private readonly delivered: Counter;
  private readonly sendSeconds: Histogram;
  private readonly logouts: Counter<'reason'>;
  private readonly securityEvents: Counter<'type'>;
  private readonly refusals: Counter<'site'>;
  private readonly pinLockouts: Counter;
  private readonly busReconnects: Counter;
  private readonly querySeconds: Histogram;
  private processMetrics = false;

  constructor(version: string) {
    const registers = [this.registry];
    const counts = () => this.socketCounts();
    new Gauge({
      name: 'latch_sockets',
      help: 'Open WebSockets on this node by kind (primary: phones, companion: computers, link: QR pages)',
      labelNames: ['kind'],
      registers,
      collect() {
        const now = counts();
        for (const kind of SOCKET_KINDS) this.set({ kind }, now[kind]);
      },
    });
    new Gauge({ name: 'latch_build_info', help: 'Latch version', labelNames: ['version'], registers }).set(
      { version },
      1,
    );
    this.handshakes = new Counter({
      name: 'latch_handshakes_total',
      help: 'Device socket handshakes: ok (ready sent) or failed (no or revoked session, bad signature, timeout)',
      labelNames: ['result'],
      registers,
    });
    this.sent = new Counter({
      name: 'latch_messages_sent_total',
      help: 'Messages stored and answered',
      registers,
    });
    this.delivered = new Counter({
      name: 'latch_messages_delivered_total',
      help: 'Message frames written to device sockets on this node',
      registers,
    });
    this.sendSeconds = new Histogram({
      name: 'latch_message_send_seconds',
      help: 'From a messages.send request to its stored answer (includes the group commit wait)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.logouts = new Counter({
      name: 'latch_logouts_total',
      help: 'Devices logged out by this node, by reason (self, phone, inactive, reregistered, replayed, admin)',
      labelNames: ['reason'],
      registers,
    });
    this.securityEvents = new Counter({
      name: 'latch_security_events_total',
      help: 'Security events recorded by this node, by type',
      labelNames: ['type'],
      registers,
    });
    this.refusals = new Counter({
      name: 'latch_rate_limit_refusals_total',
      help: 'Requests refused for going too fast (rate_limited answers, sockets closed with 4429)',
      labelNames: ['site'],
      registers,
    });
    this.pinLockouts = new Counter({
      name: 'latch_pin_lockouts_total',
      help: 'Wrong PINs that locked two-step verification (a wait, or closed after 10)',
      registers,
    });
    this.busReconnects = new Counter({
      name: 'latch_bus_reconnects_total',
      help: 'Times the Redis subscriber came back after a drop (sockets were told to resync)',
      registers,
    });
    this.querySeconds = new Histogram({
      name: 'latch_store_query_seconds',
      help: 'Store (SQLite or PostgreSQL) query durations',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers,
    });
    // Every known label starts at 0, so rate() and dashboards see a series before the first event.
    for (const result of ['ok', 'failed'] as const) this.handshakes.inc({ result }, 0);
    for (const site of REFUSAL_SITES) this.refusals.inc({ site }, 0);
    for (const reason of LogoutReason.options) this.logouts.inc({ reason }, 0);
  }

  /**
   * Node's own series (event-loop lag, heap, GC, CPU, file descriptors). Only for a running server:
   * a short CLI run has nothing to report and should not start their monitors.
   */
  collectProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    collectDefaultMetrics({ register: this.registry });
  }

  /** Where the socket gauge reads its numbers at each scrape. */
  countSocketsWith(counts: () => Record<SocketKind, number>): void {
    this.socketCounts = counts;
  }

  handshake(result: HandshakeResult): void {
    this.handshakes.inc({ result });
  }

  /** A send was answered with its stored message, `seconds` after the request. */
  messageSent(seconds: number): void {
    this.sent.inc();
    this.sendSeconds.observe(seconds);
  }

  messagesDelivered(frames: number): void {
    this.delivered.inc(frames);
  }

  rateLimitRefused(site: RefusalSite): void {
    this.refusals.inc({ site });
  }

  busReconnected(): void {
    this.busReconnects.inc();
  }

  storeQuery(milliseconds: number): void {
    this.querySeconds.observe(milliseconds / 1000);
  }

  /** A security event this node recorded (after its commit): PIN lockouts come from here. */
  securityEvent(event: Pick<SecurityEventView, 'type'>): void {
    this.securityEvents.inc({ type: event.type });
    if (event.type === 'pin_locked') this.pinLockouts.inc();
  }

  /** Devices this node logged out (after the commit), whatever the path: phone, sweep, re-registration, …. */
  devicesLoggedOut(reason: LogoutReason, count: number): void {
    this.logouts.inc({ reason }, count);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every series. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
