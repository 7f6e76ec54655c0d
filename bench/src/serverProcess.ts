import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { hasTaskset } from './machine';

/** The repository root (bench/src → ../..): where the server's entry point is resolved from. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const SERVER_MAIN = 'packages/server/src/main.ts';
/** What `npm run build` writes and production runs. */
const COMPILED_MAIN = 'packages/server/dist/main.js';
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface ServerOptions {
  dataDir: string;
  /** Pin the server to CPU 0 with taskset (the generator takes CPU 1). */
  pinCpu: boolean;
  /** Write a V8 CPU profile of the server into this directory when it exits. */
  cpuProfileDir?: string;
  /** Directory holding web/dist and phone/dist, when not the repository's packages/. */
  appsDir?: string;
  /** Server log level; warn keeps the log out of the measurement. */
  logLevel?: string;
  /** Run the compiled server with plain node instead of the sources through tsx. */
  compiled?: boolean;
}

/** A Latch server running as its own process on a loopback port. */
export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  /** Milliseconds from spawn to the first `GET /healthz` answered 200. */
  readyMs: number;
  /** Resident set size from /proc/<pid>/status, in KiB. */
  rssKb(): number;
  /** SIGTERM (graceful close), then SIGKILL if it has not exited in time. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills every server this process started: for Ctrl-C, errors and exit. */
export function killAllServers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const addr = probe.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startServer(opts: ServerOptions): Promise<ServerProcess> {
  const port = await freePort();
  const nodeArgs = opts.compiled ? ['--enable-source-maps'] : ['--import', 'tsx'];
  if (opts.cpuProfileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`);
  nodeArgs.push(opts.compiled ? COMPILED_MAIN : SERVER_MAIN);
  const pinned = opts.pinCpu && hasTaskset();
  const [command, args] = pinned
    ? ['taskset', ['-c', '0', process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: opts.dataDir,
    LOG_LEVEL: opts.logLevel ?? 'warn',
    // Every simulated browser comes from 127.0.0.1: the per-IP cap on new link attempts (LIM-4) would
    // stop the link scenario after its first minute's worth.
    LINK_STARTS_PER_IP_PER_MINUTE: '1000000',
    ...(opts.appsDir ? { APPS_DIR: opts.appsDir } : {}),
    // To watch a run's metrics: METRICS_TOKEN=… npm run bench -- … and curl the server's /metrics.
    ...(process.env.METRICS_TOKEN ? { METRICS_TOKEN: process.env.METRICS_TOKEN } : {}),
  };
  const startedAt = performance.now();
  const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const tail = captureTail(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => running.delete(child));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, exited);
  } catch (err) {
    child.kill('SIGKILL');
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`${reason}\nserver output:\n${tail()}`);
  }
  const readyMs = performance.now() - startedAt;
  const pid = child.pid ?? 0;
  return {
    url,
    port,
    pid,
    readyMs,
    rssKb: () => readRssKb(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForHealth(url: string, exited: Promise<number | null>): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (gone) throw new Error('The server exited before it was ready');
    try {
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`The server was not ready within ${READY_TIMEOUT_MS} ms`);
}

/** Keeps the last few KiB of the server's output for error messages. */
function captureTail(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

export function readRssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`No VmRSS for pid ${pid}`);
  return Number(match[1]);
}
