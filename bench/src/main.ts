import path from 'node:path';
import { parseCli, USAGE } from './cliOptions';
import type { BenchEnv } from './harness';
import { loadAverage, machineInfo, pinSelfToCpu1 } from './machine';
import { jsonLine, medianOfRuns, type Recorded, recordAll, table } from './report';
import { scenarioRunner } from './scenarioRegistry';
import { killAllServers } from './serverProcess';

/** `npm run bench -- <scenario> [options]`: seeds, starts a server process, measures, prints, cleans up. */
async function main(): Promise<number> {
  const opts = parseCli(process.argv.slice(2));
  const run = opts.scenario ? scenarioRunner(opts.scenario) : undefined;
  if (opts.help || !run) {
    console.log(USAGE);
    return opts.help ? 0 : 2;
  }
  const machine = machineInfo();
  const pinned = opts.pin && pinSelfToCpu1();
  const env: BenchEnv = {
    pinCpu: pinned,
    keepData: opts.keepData,
    log: (message) => {
      if (!opts.json) console.error(`[bench] ${message}`);
    },
    ...(opts.profile ? { cpuProfileDir: path.resolve(opts.profile) } : {}),
    ...(opts.appsDir ? { appsDir: path.resolve(opts.appsDir) } : {}),
    ...(opts.compiled ? { compiled: true } : {}),
    ...(opts.seedCache ? { seedCacheDir: path.resolve(opts.seedCache) } : {}),
  };
  env.log(`machine ${JSON.stringify(machine)}; pinned: ${pinned ? 'server CPU 0, generator CPU 1' : 'no'}`);
  const all: Recorded[][] = [];
  for (let i = 0; i < opts.runs; i++) {
    env.log(`${opts.scenario} run ${i + 1}/${opts.runs}, load ${loadAverage().join(' ')}`);
    const loadBefore = loadAverage();
    const records = recordAll(await run(opts, env), loadBefore);
    for (const r of records) console.log(jsonLine(r));
    all.push(records);
  }
  const finals = opts.runs > 1 ? medianPerMeasurement(all) : (all[0] ?? []);
  if (opts.runs > 1) for (const r of finals) console.log(jsonLine(r));
  if (!opts.json) console.log(table(finals));
  return 0;
}

/** Lines up the i-th measurement of each run and takes the median of each. */
function medianPerMeasurement(runs: Recorded[][]): Recorded[] {
  const count = Math.min(...runs.map((r) => r.length));
  return Array.from({ length: count }, (_, i) => medianOfRuns(runs.map((r) => r[i]!)));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`[bench] ${signal}: stopping the server`);
    killAllServers();
    process.exit(130);
  });
}
process.on('exit', killAllServers);
process.on('unhandledRejection', (err: unknown) => {
  console.error('[bench] unhandled rejection:', err instanceof Error ? err.message : err);
  killAllServers();
  process.exit(1);
});

main().then(
  (code) => {
    killAllServers();
    process.exit(code);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    killAllServers();
    process.exit(1);
  },
);
