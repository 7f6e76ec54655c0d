import { BenchSocket } from './benchSocket';
import type { SeedDevice } from './seed';

/** Runs `work` over `items` with at most `concurrency` in flight; results keep the input order. */
export async function runBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  return results;
}

/** Loopback source addresses to spread sockets over: each has its own ephemeral port range. */
const SOURCE_ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];

export interface ConnectedFleet {
  sockets: BenchSocket[];
  /** Wall time to connect and authenticate all of them. */
  elapsedMs: number;
  /** Per-socket time from opening to `ready`. */
  handshakeMs: number[];
}

/** Connects and authenticates every device, `concurrency` handshakes at a time. */
export async function connectFleet(
  url: string,
  devices: readonly SeedDevice[],
  concurrency: number,
): Promise<ConnectedFleet> {
  const handshakeMs: number[] = [];
  const started = performance.now();
  const sockets = await runBounded(devices, concurrency, async (device, i) => {
    const t0 = performance.now();
    const socket = await BenchSocket.connect(url, device, {
      localAddress: SOURCE_ADDRESSES[i % SOURCE_ADDRESSES.length],
    });
    handshakeMs.push(performance.now() - t0);
    return socket;
  });
  return { sockets, elapsedMs: performance.now() - started, handshakeMs };
}

/** Closes sockets and waits (bounded) for their close handshakes. */
export async function closeFleet(sockets: readonly BenchSocket[], timeoutMs = 5_000): Promise<void> {
  for (const s of sockets) s.close();
  await Promise.race([
    Promise.all(sockets.map((s) => s.closed)),
    new Promise((resolve) => setTimeout(resolve, timeoutMs)),
  ]);
  for (const s of sockets) s.terminate();
}
