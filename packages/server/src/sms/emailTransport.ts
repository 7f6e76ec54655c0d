import type { Logger } from 'pino';
import { AppError } from '../errors';

/** Sends PIN-reset emails. Like SMS: `console` for local runs, `webhook` for an operator's mail gateway. */
export interface EmailTransport {
  send(to: string, subject: string, text: string): Promise<void>;
}

export class ConsoleEmail implements EmailTransport {
  constructor(private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {}
  async send(to: string, subject: string, text: string): Promise<void> {
    this.write(`[email] to ${to}: ${subject}\n${text}`);
  }
}

/** POSTs `{to, subject, text}` with a timeout and retries; reports failure rather than hanging. */
export class WebhookEmail implements EmailTransport {
  constructor(
    private readonly opts: {
      url: string;
      log: Logger;
      timeoutMs?: number;
      retries?: number;
      fetchImpl?: typeof fetch;
    },
  ) {}

  async send(to: string, subject: string, text: string): Promise<void> {
    const { url, log, timeoutMs = 5000, retries = 2 } = this.opts;
    const doFetch = this.opts.fetchImpl ?? fetch;
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ to, subject, text }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.ok) return;
        log.warn({ status: res.status, attempt }, 'email webhook answered an error');
        if (res.status < 500) break;
      } catch (err) {
        log.warn({ attempt, err: err instanceof Error ? err.name : 'unknown' }, 'email webhook unreachable');
      }
      // Back off between attempts only: after the last one, report the failure at once.
      if (attempt < retries) await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
    throw new AppError(502, 'sms_failed', 'We could not send the email right now. Try again in a minute.');
  }
}
