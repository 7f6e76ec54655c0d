import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readSeedFile, type Seed, Seeder, seedFilePath, writeSeedFile } from './seed';
import { REPO_ROOT, type ServerProcess, startServer } from './serverProcess';

/** How a scenario runs: pinning, profiling, where the apps are, and where progress goes. */
export interface BenchEnv {
  /** Pin the server to CPU 0 (the caller pins itself to CPU 1). */
  pinCpu: boolean;
  /** Write a server CPU profile here. */
  cpuProfileDir?: string;
  /** Directory with web/dist and phone/dist; default: the repository's packages/. */
  appsDir?: string;
  /** Run the built server (dist/main.js) instead of the sources through tsx. */
  compiled?: boolean;
  /** Keep the temporary data directory (database and seed file) after the run. */
  keepData: boolean;
  /**
   * Reuse seeded stores across runs: a seed made once for a given shape (and schema) is copied into each
   * run's fresh data directory. Seeding 10k devices through the services takes minutes.
   */
  seedCacheDir?: string;
  log: (message: string) => void;
}

export const quietEnv: BenchEnv = { pinCpu: false, keepData: false, log: () => {} };

/**
 * Seeds a fresh data directory through the real services, writes the seed file, starts the server as
 * its own process on that store, and runs `measure` with the seed read back from the file. The server is
 * stopped and the directory removed however `measure` ends.
 */
export async function withSeededServer<T>(
  env: BenchEnv,
  seedShape: string,
  seed: (seeder: Seeder) => Promise<Seed>,
  measure: (server: ServerProcess, seed: Seed, dataDir: string) => Promise<T>,
): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-bench-'));
  let server: ServerProcess | undefined;
  try {
    await seedDataDir(env, dataDir, seedShape, seed);
    server = await startServer({
      dataDir,
      pinCpu: env.pinCpu,
      ...(env.cpuProfileDir ? { cpuProfileDir: env.cpuProfileDir } : {}),
      ...(env.appsDir ? { appsDir: env.appsDir } : {}),
      ...(env.compiled ? { compiled: true } : {}),
    });
    env.log(`server pid ${server.pid} ready in ${Math.round(server.readyMs)} ms at ${server.url}`);
    return await measure(server, readSeedFile(seedFilePath(dataDir)), dataDir);
  } finally {
    await server?.stop();
    if (!env.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const STORE_FILES = /^(latch\.db(-wal|-shm)?|bench-seed\.json)$/;

function copyStore(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const name of fs.readdirSync(from)) {
    if (STORE_FILES.test(name)) fs.copyFileSync(path.join(from, name), path.join(to, name));
  }
}

/** The schema's fingerprint: a cached seed made before a migration changed is not reused. */
function schemaFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of ['migrations.ts', 'schema.ts']) {
    hash.update(fs.readFileSync(path.join(REPO_ROOT, 'packages/server/src/store', file)));
  }
  return hash.digest('hex').slice(0, 12);
}

async function seedDataDir(
  env: BenchEnv,
  dataDir: string,
  seedShape: string,
  seed: (seeder: Seeder) => Promise<Seed>,
): Promise<void> {
  const cached = env.seedCacheDir ? path.join(env.seedCacheDir, `${seedShape}-${schemaFingerprint()}`) : null;
  if (cached && fs.existsSync(seedFilePath(cached))) {
    copyStore(cached, dataDir);
    env.log(`seed ${seedShape} copied from ${cached}`);
    return;
  }
  const started = performance.now();
  const seeder = await Seeder.open(dataDir);
  try {
    writeSeedFile(seedFilePath(dataDir), await seed(seeder));
  } finally {
    await seeder.close();
  }
  env.log(`seeded ${seedShape} in ${Math.round(performance.now() - started)} ms (${dataDir})`);
  if (cached) copyStore(dataDir, cached);
}

/** Monotonic microseconds: the clock V8 stamps CPU profile samples with, so phases can be cut out. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Runs one measured phase and logs its monotonic window (for `profileSummary.ts … fromUs toUs`). */
export async function phase<T>(env: BenchEnv, name: string, work: () => Promise<T>): Promise<T> {
  const from = monotonicUs();
  try {
    return await work();
  } finally {
    if (env.cpuProfileDir) env.log(`phase ${name}: ${from} ${monotonicUs()}`);
  }
}

/**
 * Watches this process's own event-loop delay: when the generator itself stalls (a busy shared machine),
 * its latency numbers carry that stall too. Returns a stopper giving p99 and max in ms.
 */
export function watchGeneratorStalls(): () => { p99Ms: number; maxMs: number } {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  return () => {
    histogram.disable();
    return { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 };
  };
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
