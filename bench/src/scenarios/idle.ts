import { BenchSocket } from '../benchSocket';
import { type BenchEnv, phase, sleep, withSeededServer } from '../harness';
import { maxSocketsPerProcess, processCpuMs } from '../machine';
import { closeFleet, connectFleet } from '../pool';
import type { Measurement } from '../report';
import { type SeedAccount, seedAccounts } from '../seed';
import type { ServerProcess } from '../serverProcess';
import { summarize } from '../stats';

export interface IdleOptions {
  /** Linked computers to hold connected. */
  n: number;
  /** Handshakes in flight at once. */
  concurrency: number;
  /**
   * How long to watch RSS after connecting; the lowest sample counts. The server cannot be made to
   * collect garbage from outside, so this gives V8's idle-time GC a chance to drop handshake garbage.
   */
  settleMs?: number;
}

const COMPANIONS_PER_ACCOUNT = 4;
const DEFAULT_SETTLE_MS = 10_000;
const RSS_SAMPLE_MS = 500;

/** The lowest RSS seen over `windowMs` (at least one sample). */
async function lowestRssKb(server: ServerProcess, windowMs: number): Promise<number> {
  let lowest = server.rssKb();
  for (let waited = 0; waited < windowMs; waited += RSS_SAMPLE_MS) {
    await sleep(RSS_SAMPLE_MS);
    lowest = Math.min(lowest, server.rssKb());
  }
  return lowest;
}

/** Thrown when the machine cannot hold N sockets in one process; says what limits it. */
export class SocketLimitError extends Error {}

export function assertSocketsFit(n: number): void {
  const max = maxSocketsPerProcess();
  if (n > max) {
    throw new SocketLimitError(
      `N=${n} does not fit: the hard open-files limit (ulimit -Hn) allows about ${max} sockets per process ` +
        'and the server holds one descriptor per socket. Raise it (e.g. LimitNOFILE / prlimit as root with ' +
        'CAP_SYS_RESOURCE) or use a smaller N.',
    );
  }
}

/**
 * N linked computers connect (cookie + signed nonce each) and stay idle. Measures how fast the server
 * admits them and how much resident memory each costs.
 */
export async function runIdle(opts: IdleOptions, env: BenchEnv): Promise<Measurement[]> {
  assertSocketsFit(opts.n);
  const accountCount = Math.ceil(opts.n / COMPANIONS_PER_ACCOUNT);
  return withSeededServer(
    env,
    `idle-${accountCount}x${COMPANIONS_PER_ACCOUNT}`,
    async (seeder) => ({
      accounts: await seedAccounts(seeder, accountCount, COMPANIONS_PER_ACCOUNT, (done) =>
        env.log(`seeded ${done}/${accountCount} accounts`),
      ),
      chats: [],
    }),
    async (server, seed) => {
      const devices = seed.accounts.flatMap((a: SeedAccount) => a.companions).slice(0, opts.n);
      // One connect and close first, so code paths loaded on first use are not billed to the sessions.
      const warmup = await BenchSocket.connect(server.url, devices[0]!);
      warmup.close();
      await warmup.closed;
      await sleep(1_000);
      const rssBeforeKb = server.rssKb();
      const cpuBefore = processCpuMs(server.pid);
      const fleet = await phase(env, 'connect', () => connectFleet(server.url, devices, opts.concurrency));
      const cpuMs = processCpuMs(server.pid) - cpuBefore;
      env.log(`connected ${fleet.sockets.length} in ${Math.round(fleet.elapsedMs)} ms`);
      const rssAfterKb = await lowestRssKb(server, opts.settleMs ?? DEFAULT_SETTLE_MS);
      const stillOpen = fleet.sockets.filter((s) => s.isOpen).length;
      await closeFleet(fleet.sockets);
      const handshake = summarize(fleet.handshakeMs);
      return [
        {
          scenario: 'idle',
          measurement: 'connect and hold',
          params: { n: opts.n, concurrency: opts.concurrency, settleMs: opts.settleMs ?? DEFAULT_SETTLE_MS },
          values: {
            connected: fleet.sockets.length,
            stillOpen,
            connectAllMs: fleet.elapsedMs,
            sessionsPerSec: (fleet.sockets.length / fleet.elapsedMs) * 1000,
            handshakeP50Ms: handshake.p50,
            handshakeP99Ms: handshake.p99,
            serverCpuMsPerSession: cpuMs / fleet.sockets.length,
            rssBeforeKb,
            rssAfterKb,
            perSessionKb: (rssAfterKb - rssBeforeKb) / fleet.sockets.length,
          },
          targets: [
            { metric: 'perSessionKb', op: '<=', limit: 10 },
            { metric: 'sessionsPerSec', op: '>=', limit: 2000 },
          ],
          notes: ['rssAfterKb: the lowest of samples every 500 ms over settleMs after the last handshake'],
        },
      ];
    },
  );
}
