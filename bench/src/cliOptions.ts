import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run bench -- <scenario> [options]

scenarios:
  idle      --n 1000|10000|50000 [--concurrency 200]
  messages  --pairs P --rate R [--duration 10] [--search]
  fanout    [--rate 1000] [--senders 25] [--duration 10]
  revoke    [--trials 200] [--others 10000] [--operator-n 10000]
  link      [--links 200] [--browser-runs 3]
  startup   [--runs-ready 5]

common:
  --runs K          repeat the scenario K times and print the median too (default 1)
  --profile DIR     write a server CPU profile (node --cpu-prof) into DIR
  --apps-dir DIR    directory with web/dist and phone/dist (default: packages/)
  --compiled        run the built server (node packages/server/dist/main.js; npm run build first)
                    instead of the TypeScript sources through tsx
  --no-pin          do not pin server (CPU 0) and generator (CPU 1) with taskset
  --keep-data       keep the temporary data directory (database + seed file)
  --seed-cache DIR  reuse seeded stores of the same shape from DIR (default: $TMPDIR/latch-bench-seeds)
  --fresh-seed      seed through the services every run, ignoring the cache
  --json            print only the JSON lines`;

/** Parses argv into a scenario name and its options (numbers already checked). */
export function parseCli(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      n: { type: 'string' },
      concurrency: { type: 'string' },
      pairs: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      search: { type: 'boolean', default: false },
      senders: { type: 'string' },
      trials: { type: 'string' },
      others: { type: 'string' },
      'operator-n': { type: 'string' },
      links: { type: 'string' },
      'browser-runs': { type: 'string' },
      'runs-ready': { type: 'string' },
      runs: { type: 'string' },
      profile: { type: 'string' },
      'apps-dir': { type: 'string' },
      compiled: { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      'keep-data': { type: 'boolean', default: false },
      'seed-cache': { type: 'string' },
      'fresh-seed': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const num = (name: keyof typeof values, fallback: number, min = 1): number => {
    const raw = values[name];
    if (raw === undefined || typeof raw === 'boolean') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number ≥ ${min}`);
    return value;
  };
  return {
    scenario: positionals[0],
    help: values.help,
    n: num('n', 1000),
    concurrency: num('concurrency', 200),
    pairs: num('pairs', values.search ? 500 : 250),
    rate: num('rate', 1000),
    duration: num('duration', 10),
    search: values.search,
    senders: num('senders', 25),
    trials: num('trials', 200),
    others: num('others', 10_000, 0),
    operatorN: num('operator-n', 10_000, 0),
    links: num('links', 200),
    browserRuns: num('browser-runs', 3, 0),
    readyRuns: num('runs-ready', 5),
    runs: num('runs', 1),
    profile: values.profile,
    appsDir: values['apps-dir'],
    compiled: values.compiled,
    pin: !values['no-pin'],
    keepData: values['keep-data'],
    seedCache: values['fresh-seed']
      ? undefined
      : (values['seed-cache'] ?? path.join(os.tmpdir(), 'latch-bench-seeds')),
    json: values.json,
  };
}

export type CliOptions = ReturnType<typeof parseCli>;
