import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so the harness works wherever the repo is checked out. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const HEALTH_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const SMS_TIMEOUT_MS = 10_000;
const SMS_LINE = /^\[sms\] (\+\d+) code (\d{6})$/gm;

export interface StartServerOptions {
  /** Extra environment for the server (e.g. LINK_REF_TTL_MS). */
  env?: Record<string, string>;
  /** Reuse a data directory (default: a fresh one under the OS temp dir, removed by stop()). */
  dataDir?: string;
}

export interface TestServer {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  dataDir: string;
  /** Everything the server printed (stdout and stderr) since the first start, across restarts. */
  output(): string;
  /**
   * The latest verification code printed for `phoneNumber` (E.164). `after` is an offset into
   * {@link output} (take `output().length` before the action) so older codes are ignored.
   */
  waitForSmsCode(phoneNumber: string, opts?: { after?: number }): Promise<string>;
  /** SIGTERM, wait for exit; removes the data directory if the harness made it. */
  stop(): Promise<void>;
  /** Stops and starts again on the same port with the same data directory. */
  restart(): Promise<void>;
  /** SIGKILL, as a crashed machine: no graceful close of sockets or store. */
  kill(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the real Latch server as a child process on a free port and waits for /healthz. */
export async function startServer(opts: StartServerOptions = {}): Promise<TestServer> {
  const port = await freePort();
  const ownDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'latch-e2e-')));
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  let child: ChildProcess | null = null;

  const launch = async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    await waitForHealth(url, proc, () => output);
  };

  const stopProcess = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    url,
    port,
    dataDir,
    output: () => output,
    waitForSmsCode: (phoneNumber, o) => waitForSmsCode(() => output, phoneNumber, o?.after ?? 0),
    stop: async () => {
      await stopProcess();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
    restart: async () => {
      await stopProcess();
      await launch();
    },
    kill: () => stopProcess('SIGKILL'),
  };
}

async function waitForHealth(url: string, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(
        `The server exited (${proc.exitCode ?? proc.signalCode}) before it was healthy:\n${output()}`,
      );
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  proc.kill('SIGKILL');
  throw new Error(`The server did not answer ${url}/healthz within ${HEALTH_TIMEOUT_MS} ms:\n${output()}`);
}

async function waitForSmsCode(output: () => string, phoneNumber: string, after: number): Promise<string> {
  const deadline = Date.now() + SMS_TIMEOUT_MS;
  while (Date.now() < deadline) {
    let code: string | null = null;
    for (const m of output().slice(after).matchAll(SMS_LINE)) {
      if (m[1] === phoneNumber && m[2]) code = m[2];
    }
    if (code) return code;
    await sleep(50);
  }
  throw new Error(
    `No "[sms] ${phoneNumber} code …" line within ${SMS_TIMEOUT_MS} ms:\n${output().slice(after)}`,
  );
}
