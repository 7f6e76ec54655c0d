import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../clock';
import { parseConfig } from '../config';
import { createLogger } from '../logger';
import { createLatchServer, type LatchServer } from '../server';
import type { SmsTransport } from '../sms/smsTransport';

/** Captures codes instead of printing them; `next(number)` waits for the next one sent to that number. */
export class CapturedSms implements SmsTransport {
  private readonly sent: Array<{ to: string; code: string }> = [];
  private readonly waiters: Array<{ to: string; resolve: (code: string) => void }> = [];

  async sendCode(to: string, code: string): Promise<void> {
    const w = this.waiters.findIndex((x) => x.to === to);
    if (w >= 0) this.waiters.splice(w, 1)[0]!.resolve(code);
    else this.sent.push({ to, code });
  }

  next(to: string): Promise<string> {
    const i = this.sent.findIndex((x) => x.to === to);
    if (i >= 0) return Promise.resolve(this.sent.splice(i, 1)[0]!.code);
    return new Promise((resolve) => this.waiters.push({ to, resolve }));
  }
}

export interface TestServer {
  url: string;
  server: LatchServer;
  sms: CapturedSms;
  dataDir: string;
  /** Reads the next code sent to a number (for registerHeadlessPhone). */
  readCode: (phoneNumber: string) => Promise<string>;
  close(): Promise<void>;
}

/** A real Latch server on a free loopback port with a fresh SQLite file in a temp dir. */
export async function startTestServer(
  opts: { env?: Record<string, string>; clock?: Clock; dataDir?: string } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'latch-test-'));
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...opts.env,
  });
  const sms = new CapturedSms();
  const server = await createLatchServer(config, {
    sms,
    log: createLogger('silent'),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const port = await server.listen();
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    sms,
    dataDir,
    readCode: (n) => sms.next(n),
    async close() {
      await server.close();
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
