import type { BenchSocket } from './benchSocket';
import { benchMessageText, DeliveryLedger } from './deliveryLedger';
import { sleep, watchGeneratorStalls } from './harness';
import { processCpuMs } from './machine';
import { type LatencySummary, summarize } from './stats';

/**
 * The server's flood guard lets one socket send 50 frames/s (burst 100). A lane stays under this so the
 * generator never trips it; more rate needs more sending sockets.
 */
export const MAX_RATE_PER_SENDER = 40;
/** A message not delivered this long after the last send counts as lost. */
const DRAIN_TIMEOUT_MS = 10_000;
/** After an overloaded step, wait (bounded) for the server to answer everything before the next one. */
const QUIET_TIMEOUT_MS = 60_000;
const TICK_MS = 2;

/** One sending socket and the chat it writes to; `receivers` must each get every message it sends. */
export interface Lane {
  sender: BenchSocket;
  chatId: string;
  receivers: BenchSocket[];
}

export interface LoadResult {
  rate: number;
  durationS: number;
  sent: number;
  sendErrors: number;
  /**
   * Deliveries expected: messages the server accepted (answered ok or delivered to someone) × receivers
   * of their chat. Messages neither answered nor seen within the drain timeout count as send errors.
   */
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  latency: LatencySummary;
  /** Time from send to the sender's `res` (the message is committed to the store). */
  ack: LatencySummary;
  achievedRate: number;
  serverCpuMsPerMessage: number;
  /** The generator's own event-loop delay p99: latency it adds to every number here. */
  generatorStallP99Ms: number;
  /** The generator's longest event-loop stall: one long pause delays every message in flight. */
  generatorStallMaxMs: number;
  /** Why sends failed, with counts (the first few reasons). */
  errorReasons: string[];
}

/**
 * Sends messages at a fixed total rate, round-robin over the lanes, for `durationS` seconds. Each text
 * carries its lane, number and send time, so receivers measure latency and spot losses and duplicates.
 */
export async function runMessageLoad(
  lanes: Lane[],
  opts: { rate: number; durationS: number; runId: number; serverPid: number },
): Promise<LoadResult> {
  if (lanes.length === 0) throw new Error('No lanes to send on');
  const perLane = opts.rate / lanes.length;
  if (perLane > MAX_RATE_PER_SENDER) {
    throw new Error(
      `${opts.rate} msgs/s over ${lanes.length} senders is ${perLane.toFixed(1)}/s each; the server's flood ` +
        `guard allows 50 frames/s per socket. Use at least ${Math.ceil(opts.rate / MAX_RATE_PER_SENDER)} senders.`,
    );
  }
  const ledger = new DeliveryLedger(
    opts.runId,
    lanes.map((l) => l.receivers),
  );
  const acks: number[] = [];
  let sent = 0;
  let sendErrors = 0;
  const errorReasons = new Map<string, number>();
  let acked = 0;
  const counters = new Array<number>(lanes.length).fill(0);
  const total = Math.round(opts.rate * opts.durationS);
  const cpuBefore = processCpuMs(opts.serverPid);
  const stopWatching = watchGeneratorStalls();
  const started = performance.now();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * opts.rate));
    while (sent < due) {
      const laneIndex = sent % lanes.length;
      const lane = lanes[laneIndex]!;
      const n = counters[laneIndex]!++;
      const sentAt = performance.now();
      const text = benchMessageText(opts.runId, laneIndex, n, sentAt);
      sent++;
      lane.sender
        .request('messages.send', {
          chatId: lane.chatId,
          clientMsgId: `bench-${opts.runId}-${laneIndex}-${n}`,
          text,
        })
        .then(
          () => {
            acked++;
            ledger.accept(laneIndex, n);
            acks.push(performance.now() - sentAt);
          },
          (err: unknown) => {
            sendErrors++;
            const reason = err instanceof Error ? err.message : String(err);
            errorReasons.set(reason, (errorReasons.get(reason) ?? 0) + 1);
          },
        );
    }
    await sleep(TICK_MS);
  }
  const sendSeconds = (performance.now() - started) / 1000;
  const drainDeadline = performance.now() + DRAIN_TIMEOUT_MS;
  while (
    (acked + sendErrors < sent || ledger.delivered < ledger.expected) &&
    performance.now() < drainDeadline
  ) {
    await sleep(20);
  }
  const cpuMs = processCpuMs(opts.serverPid) - cpuBefore;
  const stalls = stopWatching();
  ledger.stop();
  const atDeadline = {
    accepted: ledger.acceptedCount,
    expected: ledger.expected,
    delivered: ledger.delivered,
    duplicates: ledger.duplicates,
  };
  const quietDeadline = performance.now() + QUIET_TIMEOUT_MS;
  while (acked + sendErrors < sent && performance.now() < quietDeadline) await sleep(50);
  return {
    rate: opts.rate,
    durationS: opts.durationS,
    sent,
    sendErrors: sent - atDeadline.accepted,
    expected: atDeadline.expected,
    delivered: atDeadline.delivered,
    lost: atDeadline.expected - atDeadline.delivered,
    duplicates: atDeadline.duplicates,
    latency: summarize(ledger.latencies),
    ack: summarize(acks),
    achievedRate: sent / sendSeconds,
    serverCpuMsPerMessage: cpuMs / Math.max(1, sent),
    generatorStallP99Ms: stalls.p99Ms,
    generatorStallMaxMs: stalls.maxMs,
    errorReasons: [...errorReasons].slice(0, 3).map(([reason, count]) => `${count}× ${reason}`),
  };
}

/** A load result as measurement values. */
export function loadValues(r: LoadResult): Record<string, number | null> {
  return {
    sent: r.sent,
    sendErrors: r.sendErrors,
    expected: r.expected,
    delivered: r.delivered,
    lost: r.lost,
    duplicates: r.duplicates,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    latencyMaxMs: r.latency.max,
    ackP99Ms: r.ack.p99,
    achievedRate: r.achievedRate,
    serverCpuMsPerMessage: r.serverCpuMsPerMessage,
    generatorStallP99Ms: r.generatorStallP99Ms,
    generatorStallMaxMs: r.generatorStallMaxMs,
  };
}

const WARM_UP_RATE = 500;
const WARM_UP_S = 3;
const WARM_UP_SETTLE_MS = 500;

/**
 * Unmeasured load before the measured one: the server's JIT, prepared statements and page cache start
 * cold, and its first second would otherwise be counted in whatever rate is measured first.
 */
export async function warmUp(
  lanes: Lane[],
  opts: { rate: number; durationS: number; runId: number; serverPid: number },
): Promise<void> {
  await runMessageLoad(lanes, {
    rate: Math.min(WARM_UP_RATE, opts.rate),
    durationS: Math.min(WARM_UP_S, opts.durationS),
    runId: opts.runId,
    serverPid: opts.serverPid,
  });
  await sleep(WARM_UP_SETTLE_MS);
}
