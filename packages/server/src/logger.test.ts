import { afterEach, describe, expect, it } from 'vitest';
import { HeadlessDevice } from './headless/headlessDevice';
import { createLogger } from './logger';
import {
  approveStarted,
  claim,
  httpCall,
  type LoggedServer,
  registerPhone,
  startLink,
  startLoggedServer,
} from './testing/testHelpers';

const NUMBER = '+15550008000';

/** A secret is "in the logs" when it appears as a whole token (a 6-digit code inside a timestamp is not). */
function leaks(logs: string, secret: string): boolean {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_-])${escaped}($|[^A-Za-z0-9_-])`).test(logs);
}

describe('logs', () => {
  let s: LoggedServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('SEC-2 a full flow at trace level logs no code, cookie, claim code, linking code, PIN or message body', async () => {
    s = await startLoggedServer({ level: 'trace' });
    const t = s;
    const secrets: string[] = [];

    // Registration, with a wrong code first.
    const phoneDevice = await HeadlessDevice.create(s.url, 'phone');
    await phoneDevice.http('POST', '/v1/register/code', { phoneNumber: '+15550008009' });
    const code = await s.sms.next('+15550008009');
    const wrong = code === '000000' ? '111111' : '000000';
    await phoneDevice.http('POST', '/v1/register/verify', {
      phoneNumber: '+15550008009',
      code: wrong,
      publicKey: phoneDevice.publicKey,
    });
    const verified = await phoneDevice.http('POST', '/v1/register/verify', {
      phoneNumber: '+15550008009',
      code,
      publicKey: phoneDevice.publicKey,
    });
    expect(verified.status).toBe(200);
    secrets.push(code, wrong, phoneDevice.sessionCookie!.split('.')[1]!);

    // Linking by QR (claim code, cookie) and by phone number (linking code).
    const phone = await registerPhone(t, NUMBER);
    secrets.push(phone.device.sessionCookie!.split('.')[1]!);
    const link = await startLink(t);
    const approved = await approveStarted(phone, link);
    await claim(link.computer, approved.claimCode);
    secrets.push(approved.claimCode, link.computer.sessionCookie!.split('.')[1]!);
    const computer = await link.computer.connect();
    await link.computer.http('GET', '/v1/session?client=web');
    const byPhone = await startLink(t);
    byPhone.attempt.send({ type: 'link.byPhone', phoneNumber: NUMBER });
    const { code: linkCode } = await byPhone.attempt.next('link.code');
    await phone.socket.request('link.preview', { code: linkCode });
    secrets.push(linkCode);

    // Messages, including refused ones.
    const bob = await registerPhone(t, '+15550008001', 'Bob');
    const chat = await computer.request('chats.openDirect', { phoneNumber: '+15550008001' });
    const body = 'the eagle lands at midnight';
    await computer.request('messages.send', { chatId: chat.id, clientMsgId: 'msg-secret-1', text: body });
    await bob.socket.waitFor('message');
    await bob.socket.raw('messages.send', {
      chatId: 'AAAAAAAAAAAAAAAAAAAAAA',
      clientMsgId: 'msg-secret-2',
      text: 'orchid protocol',
    });
    await bob.socket.raw('messages.send', {
      chatId: chat.id,
      clientMsgId: 'msg-secret-3',
      text: 'x'.repeat(5000),
    });
    secrets.push(body, 'orchid protocol');

    // PIN set, a wrong PIN, then logout.
    const pin = '739184';
    const wrongPin = '739185';
    await phone.socket.request('pin.set', { pin });
    await phone.socket.raw('pin.confirm', { pin: wrongPin });
    await phone.socket.request('pin.confirm', { pin });
    secrets.push(pin, wrongPin);
    await link.computer.http('POST', '/v1/logout?client=web');
    await httpCall(s.url, 'POST', '/v1/register/code', {
      body: '{"phoneNumber": "+1555',
      headers: { 'content-type': 'application/json' },
    });

    const logs = s.logs.join('');
    // The capture works: requests and errors were logged.
    expect(s.logs.length).toBeGreaterThan(20);
    expect(logs).toContain('/v1/register/verify');
    expect(logs).toContain('/v1/link/claim');
    for (const secret of secrets) expect(leaks(logs, secret), `log contains ${secret}`).toBe(false);
    expect(logs).not.toContain('__Host-latch');
    expect(logs.toLowerCase()).not.toContain('set-cookie');
  });

  it('SEC-2 the logger redacts secret-named fields wherever code logs them', () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (l: string) => void lines.push(l) });
    log.info(
      {
        req: {
          method: 'POST',
          url: '/v1/register/verify?client=phone',
          headers: { cookie: '__Host-latch-phone=id.s3cr3t' },
        },
        params: { code: '482913', pin: '739184', text: 'hello world', claimCode: 'c1a1m', token: 't0k3n' },
      },
      'request',
    );
    const out = lines.join('');
    for (const secret of ['482913', '739184', 'hello world', 'c1a1m', 't0k3n', 's3cr3t', 'client=phone']) {
      expect(out).not.toContain(secret);
    }
    expect(JSON.parse(out)).toMatchObject({
      req: { method: 'POST', path: '/v1/register/verify' },
      params: { code: '[redacted]' },
    });
  });
});
