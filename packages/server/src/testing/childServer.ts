import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const MAIN = path.resolve(import.meta.dirname, '../main.ts');
const HEALTH_TIMEOUT_MS = 20_000;

/** The real node, `main.ts` in a process of its own: a crash shows as an exit, not a failed test worker. */
export interface ChildServer {
  url: string;
  port: number;
  proc: ChildProcess;
  /** Everything the process printed (stdout and stderr). */
  output(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

export async function startChildServer(env: Record<string, string> = {}): Promise<ChildServer> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-child-'));
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [proc.stdout, proc.stderr]) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
  }
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  for (;;) {
    if (!alive()) throw new Error(`the server exited before it was healthy:\n${output}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) throw new Error(`the server did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    proc,
    output: () => output,
    alive,
    async stop() {
      if (alive()) {
        const exited = new Promise((resolve) => proc.once('exit', resolve));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A stand-in for the built web and phone apps (an index.html each), in a temp dir. */
export function builtAppsDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-apps-'));
  for (const app of ['web', 'phone']) {
    fs.mkdirSync(path.join(dir, app, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(dir, app, 'dist', 'index.html'), `<!doctype html><title>${app}</title>`);
  }
  return dir;
}
