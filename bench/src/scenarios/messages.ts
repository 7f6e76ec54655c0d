import { type BenchEnv, phase, sleep, withSeededServer } from '../harness';
import {
  type Lane,
  type LoadResult,
  loadValues,
  MAX_RATE_PER_SENDER,
  runMessageLoad,
  warmUp,
} from '../messageLoad';
import { closeFleet, connectFleet } from '../pool';
import type { Measurement } from '../report';
import { type SeedChat, seedAccounts } from '../seed';

export interface MessagesOptions {
  pairs: number;
  rate: number;
  durationS: number;
  /** Find the highest rate with p99 ≤ 50 ms and no loss instead of measuring one rate. */
  search: boolean;
}

const P99_LIMIT_MS = 50;
const SEARCH_MAX_STEPS = 9;
const SETTLE_BETWEEN_STEPS_MS = 2_000;

const passes = (r: LoadResult) =>
  r.lost === 0 && r.sendErrors === 0 && r.duplicates === 0 && (r.latency.p99 ?? Infinity) <= P99_LIMIT_MS;

/**
 * P sender/receiver account pairs, each in its own direct chat. Senders' phones send at a fixed total
 * rate; receivers' phones time every message from the send time written in its text.
 */
export async function runMessages(opts: MessagesOptions, env: BenchEnv): Promise<Measurement[]> {
  return withSeededServer(
    env,
    `pairs-${opts.pairs}`,
    async (seeder) => {
      const accounts = await seedAccounts(seeder, opts.pairs * 2, 0, (done) =>
        env.log(`seeded ${done}/${opts.pairs * 2} accounts`),
      );
      const chats: SeedChat[] = [];
      for (let i = 0; i < opts.pairs; i++) {
        chats.push(await seeder.openDirectChat(accounts[2 * i]!, accounts[2 * i + 1]!));
      }
      return { accounts, chats };
    },
    async (server, seed) => {
      const phones = seed.accounts.map((a) => a.phone);
      const fleet = await connectFleet(server.url, phones, 200);
      try {
        const lanes: Lane[] = seed.chats.map((chat, i) => ({
          sender: fleet.sockets[2 * i]!,
          chatId: chat.chatId,
          receivers: [fleet.sockets[2 * i + 1]!],
        }));
        let runId = 0;
        const measure = async (rate: number): Promise<LoadResult> => {
          const result = await phase(env, `send ${rate}/s`, () =>
            runMessageLoad(lanes, { rate, durationS: opts.durationS, runId: ++runId, serverPid: server.pid }),
          );
          env.log(
            `rate ${rate}: delivered ${result.delivered}/${result.expected}, p99 ${result.latency.p99?.toFixed(1)} ms`,
          );
          return result;
        };
        const toMeasurement = (r: LoadResult, name: string): Measurement => ({
          scenario: 'messages',
          measurement: name,
          params: { pairs: opts.pairs, rate: r.rate, durationS: r.durationS },
          values: loadValues(r),
          targets: [
            { metric: 'latencyP99Ms', op: '<=', limit: P99_LIMIT_MS },
            { metric: 'lost', op: '<=', limit: 0 },
          ],
          notes: r.errorReasons.map((e) => `send failed: ${e}`),
        });
        await phase(env, 'warm-up', () =>
          warmUp(lanes, {
            rate: opts.rate,
            durationS: opts.durationS,
            runId: ++runId,
            serverPid: server.pid,
          }),
        );
        if (!opts.search) return [toMeasurement(await measure(opts.rate), 'fixed rate')];
        const steps = await searchHighestRate(measure, opts.rate, opts.pairs * MAX_RATE_PER_SENDER);
        const best = steps.filter((s) => passes(s)).sort((a, b) => b.rate - a.rate)[0];
        return [
          ...steps.map((s) => toMeasurement(s, `search step ${passes(s) ? 'pass' : 'fail'}`)),
          {
            scenario: 'messages',
            measurement: 'search result',
            params: { pairs: opts.pairs, durationS: opts.durationS },
            values: {
              highestPassingRate: best?.rate ?? 0,
              latencyP99Ms: best?.latency.p99 ?? null,
              serverCpuMsPerMessage: best?.serverCpuMsPerMessage ?? null,
            },
            targets: [{ metric: 'highestPassingRate', op: '>=', limit: 10_000 }],
            notes: [
              `pass = p99 ≤ ${P99_LIMIT_MS} ms, no loss, no duplicates, no send errors; ` +
                `the generator can offer at most ${opts.pairs * MAX_RATE_PER_SENDER}/s with ${opts.pairs} pairs`,
            ],
          },
        ];
      } finally {
        await closeFleet(fleet.sockets);
      }
    },
  );
}

/** Doubles the rate while it passes, then bisects between the last pass and the first failure. */
async function searchHighestRate(
  measure: (rate: number) => Promise<LoadResult>,
  startRate: number,
  maxRate: number,
): Promise<LoadResult[]> {
  const steps: LoadResult[] = [];
  let low = 0;
  let high = Number.POSITIVE_INFINITY;
  let rate = Math.min(startRate, maxRate);
  while (steps.length < SEARCH_MAX_STEPS) {
    const result = await measure(rate);
    steps.push(result);
    if (passes(result)) low = rate;
    else high = rate;
    const next =
      high === Number.POSITIVE_INFINITY ? Math.min(rate * 2, maxRate) : Math.round((low + high) / 2);
    // Stop at the generator's ceiling or once the bracket is within 10 %.
    if (next === rate || (high !== Number.POSITIVE_INFINITY && high - low <= Math.max(50, high * 0.1))) break;
    rate = next;
    await sleep(SETTLE_BETWEEN_STEPS_MS);
  }
  return steps;
}
