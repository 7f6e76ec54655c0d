import type { Logger } from 'pino';
import { AppError } from '../errors';

/** Sends verification codes. Implementations must never log the code except to the console transport's own line. */
export interface SmsTransport {
  sendCode(to: string, code: string): Promise<void>;
}

/** Local runs: one line per code on stdout, e.g. `[sms] +15551234567 code 123456`. */
export class ConsoleSms implements SmsTransport {
  constructor(private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {}
  async sendCode(to: string, code: string): Promise<void> {
    this.write(`[sms] ${to} code ${code}`);
  }
}

export interface WebhookSmsOptions {
  url: string;
  timeoutMs?: number;
  retries?: number;
  log: Logger;
  fetchImpl?: typeof fetch;
}

/** POSTs `{to, text}` to an operator's gateway, with a timeout and retries; fails clearly rather than hangs. */
export class WebhookSms implements SmsTransport {
  constructor(private readonly opts: WebhookSmsOptions) {}

  async sendCode(to: string, code: string): Promise<void> {
    const { url, timeoutMs = 5000, retries = 2, log } = this.opts;
    const doFetch = this.opts.fetchImpl ?? fetch;
    const body = JSON.stringify({ to, text: `Your Latch code is ${code}. Don't share it with anyone.` });
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.ok) return;
        log.warn({ status: res.status, attempt }, 'sms webhook answered an error');
        if (res.status < 500) break;
      } catch (err) {
        log.warn({ attempt, err: err instanceof Error ? err.name : 'unknown' }, 'sms webhook unreachable');
      }
      // Back off between attempts only: after the last one, report the failure at once.
      if (attempt < retries) await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
    throw new AppError(502, 'sms_failed', 'We could not send the SMS right now. Try again in a minute.');
  }
}
