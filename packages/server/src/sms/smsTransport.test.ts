import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { AppError } from '../errors';
import { createLogger } from '../logger';
import { createLatchServer, type LatchServer } from '../server';
import { errorOf, type Gateway, httpCall, startGateway } from '../testing/testHelpers';
import { ConsoleSms, WebhookSms } from './smsTransport';

const log = createLogger('silent');

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected sendCode to fail');
}

describe('SMS transports', () => {
  let gateway: Gateway | undefined;
  let server: LatchServer | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await server?.close();
    await gateway?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    server = undefined;
    gateway = undefined;
    dataDir = undefined;
  });

  it('REG-7 the console transport prints exactly one line per code: [sms] <E.164> code <6 digits>', async () => {
    const lines: string[] = [];
    const sms = new ConsoleSms((l) => lines.push(l));
    await sms.sendCode('+15551234567', '123456');
    expect(lines).toEqual(['[sms] +15551234567 code 123456']);
  });

  it('REG-7 the webhook transport POSTs {to, text} as JSON to the gateway', async () => {
    gateway = await startGateway({ status: 200 });
    await new WebhookSms({ url: gateway.url, log }).sendCode('+15551234567', '654321');
    expect(gateway.requests).toHaveLength(1);
    const [req] = gateway.requests;
    expect(req?.method).toBe('POST');
    expect(req?.contentType).toBe('application/json');
    expect(req?.body).toEqual({ to: '+15551234567', text: expect.stringContaining('654321') });
    expect(Object.keys(req?.body as object).sort()).toEqual(['text', 'to']);
  });

  it('REG-7 a gateway answering 5xx is retried, then reported as 502 sms_failed without a long wait', async () => {
    gateway = await startGateway({ status: 503 });
    const started = Date.now();
    const err = await failure(
      new WebhookSms({ url: gateway.url, log, retries: 2 }).sendCode('+15551234567', '111222'),
    );
    const elapsed = Date.now() - started;
    expect(err.status).toBe(502);
    expect(err.code).toBe('sms_failed');
    expect(gateway.requests).toHaveLength(3);
    // Backoff of 200 ms and 400 ms between the three attempts, nothing after the last one.
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(1350);
  });

  it('REG-7 a gateway answering 4xx is not retried', async () => {
    gateway = await startGateway({ status: 400 });
    const err = await failure(
      new WebhookSms({ url: gateway.url, log, retries: 2 }).sendCode('+15551234567', '111222'),
    );
    expect(err.code).toBe('sms_failed');
    expect(gateway.requests).toHaveLength(1);
  });

  it('REG-7 a gateway that never answers hits the timeout on every attempt, then sms_failed', async () => {
    gateway = await startGateway({ hang: true });
    const started = Date.now();
    const err = await failure(
      new WebhookSms({ url: gateway.url, log, timeoutMs: 100, retries: 1 }).sendCode(
        '+15551234567',
        '111222',
      ),
    );
    const elapsed = Date.now() - started;
    expect(err.code).toBe('sms_failed');
    expect(gateway.requests).toHaveLength(2);
    // Two 100 ms timeouts and one 200 ms backoff.
    expect(elapsed).toBeGreaterThanOrEqual(380);
    expect(elapsed).toBeLessThan(1500);
  });

  it('REG-7 a failing gateway makes POST /v1/register/code answer 502 sms_failed and keeps no code', async () => {
    gateway = await startGateway({ status: 500 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-sms-'));
    server = await createLatchServer(
      parseConfig({
        PORT: '0',
        DATA_DIR: dataDir,
        SMS_TRANSPORT: 'webhook',
        SMS_WEBHOOK_URL: gateway.url,
        LOG_LEVEL: 'silent',
      }),
      { log },
    );
    const url = `http://127.0.0.1:${await server.listen()}`;
    const sent = await httpCall(url, 'POST', '/v1/register/code', { body: { phoneNumber: '+15551234567' } });
    expect(sent.status).toBe(502);
    expect(errorOf(sent.json)?.code).toBe('sms_failed');
    expect(gateway.requests).toHaveLength(3);
    expect(await server.ctx.repos.verification.find('+15551234567')).toBeUndefined();
    // Nothing to wait out: the number may ask again at once.
    const again = await httpCall(url, 'POST', '/v1/register/code', { body: { phoneNumber: '+15551234567' } });
    expect(again.status).toBe(502);
    expect(gateway.requests).toHaveLength(6);
  });
});
