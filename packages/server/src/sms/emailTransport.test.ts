import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createLogger } from '../logger';
import { type Gateway, startGateway } from '../testing/testHelpers';
import { ConsoleEmail, WebhookEmail } from './emailTransport';

const log = createLogger('silent');

describe('email transports (PIN reset links)', () => {
  let gateway: Gateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('PIN-6 the console transport prints the address, subject and text', async () => {
    const lines: string[] = [];
    await new ConsoleEmail((l) => lines.push(l)).send('ada@example.com', 'Reset', 'Open this link');
    expect(lines).toEqual(['[email] to ada@example.com: Reset\nOpen this link']);
  });

  it('PIN-6 the webhook transport POSTs {to, subject, text}', async () => {
    gateway = await startGateway({ status: 202 });
    await new WebhookEmail({ url: gateway.url, log }).send('ada@example.com', 'Reset', 'Open this link');
    expect(gateway.requests).toEqual([
      {
        method: 'POST',
        contentType: 'application/json',
        body: { to: 'ada@example.com', subject: 'Reset', text: 'Open this link' },
      },
    ]);
  });

  it('PIN-6 a failing gateway is retried, then reported at once after the last attempt', async () => {
    gateway = await startGateway({ status: 500 });
    const started = Date.now();
    const err = await new WebhookEmail({ url: gateway.url, log, retries: 2 })
      .send('ada@example.com', 'Reset', 'x')
      .then(
        () => null,
        (e: unknown) => e,
      );
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(AppError);
    expect(err instanceof AppError && err.status).toBe(502);
    expect(gateway.requests).toHaveLength(3);
    // 200 ms and 400 ms between attempts; no 800 ms wait after the last.
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(1350);
  });
});
