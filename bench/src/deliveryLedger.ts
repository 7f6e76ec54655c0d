import type { BenchSocket } from './benchSocket';
import { messageText } from './frames';

const TEXT_PATTERN = /^bench (\d+) (\d+) (\d+) t=([\d.]+)$/;
/** One number per message: lane × this + the lane's message number. */
const LANE_STRIDE = 10_000_000;

/** The text a bench message carries: its run, lane, number and send time (generator clock, ms). */
export function benchMessageText(runId: number, lane: number, n: number, sentAt: number): string {
  return `bench ${runId} ${lane} ${n} t=${sentAt.toFixed(3)}`;
}

/**
 * Who got which bench message: counts deliveries per receiver (a second copy is a duplicate), keeps
 * the latency of each first delivery, and knows how many deliveries the accepted messages owe.
 */
export class DeliveryLedger {
  readonly latencies: number[] = [];
  delivered = 0;
  duplicates = 0;
  /** Deliveries owed: accepted messages × receivers of their lane. */
  expected = 0;
  /** Messages the server took: answered ok, or seen by a receiver (its answer may have been lost). */
  private readonly accepted = new Set<number>();
  private readonly removers: Array<() => void> = [];

  constructor(
    private readonly runId: number,
    private readonly receiversByLane: BenchSocket[][],
  ) {
    const lanesOf = new Map<BenchSocket, Set<number>>();
    receiversByLane.forEach((receivers, lane) => {
      for (const r of receivers) lanesOf.set(r, (lanesOf.get(r) ?? new Set()).add(lane));
    });
    for (const [receiver, lanes] of lanesOf) {
      const got = new Set<number>();
      this.removers.push(
        receiver.onEvent((frame, receivedAt) => {
          const match = TEXT_PATTERN.exec(messageText(frame) ?? '');
          if (!match || Number(match[1]) !== this.runId || !lanes.has(Number(match[2]))) return;
          const lane = Number(match[2]);
          const key = lane * LANE_STRIDE + Number(match[3]);
          this.accept(lane, Number(match[3]));
          if (got.has(key)) {
            this.duplicates++;
            return;
          }
          got.add(key);
          this.delivered++;
          this.latencies.push(receivedAt - Number(match[4]));
        }),
      );
    }
  }

  get acceptedCount(): number {
    return this.accepted.size;
  }

  /** The server answered this message ok (or a receiver saw it). */
  accept(lane: number, n: number): void {
    const key = lane * LANE_STRIDE + n;
    if (this.accepted.has(key)) return;
    this.accepted.add(key);
    this.expected += this.receiversByLane[lane]?.length ?? 0;
  }

  stop(): void {
    for (const remove of this.removers) remove();
  }
}
