import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../clock';
import type { DeviceSocket } from '../headless/headlessDevice';
import {
  type Phone,
  randomPhoneNumber,
  registerPhone,
  rpcError,
  type StartedLink,
  startLink,
} from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';

/**
 * LIM-3: a phone typing linking codes (LNK-11). Wrong codes are counted per socket, per account and
 * per IP, each reserved before the code is looked up, with waits that grow.
 */

/** Eight letters from the code alphabet that no link uses (the alphabet has no I, O, 0 or 1). */
const wrongCode = (i: number) =>
  `WRNG${String(2222 + i)
    .replaceAll('0', '2')
    .replaceAll('1', '3')}`;

describe('LIM-3 wrong linking codes', () => {
  let t: TestServer | undefined;
  const links: StartedLink[] = [];
  const sockets: DeviceSocket[] = [];
  afterEach(async () => {
    for (const l of links.splice(0)) l.attempt.ws.terminate();
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
    t = undefined;
  });

  /** A browser asking for a linking code for `phone`'s number; resolves with the code. */
  async function codeFor(number: string): Promise<string> {
    const l = await startLink(t!);
    links.push(l);
    l.attempt.send({ type: 'link.byPhone', phoneNumber: number });
    return (await l.attempt.next('link.code')).code;
  }

  async function socketOf(phone: Phone): Promise<DeviceSocket> {
    const s = await phone.device.connect();
    sockets.push(s);
    return s;
  }

  const guess = (s: DeviceSocket, code: string) => rpcError(s.request('link.preview', { code }));

  it('LIM-3 from the 3rd wrong code on a socket and the 5th on an account each waits longer; even the right code waits; then it links and the count starts over', async () => {
    const clock = new ManualClock();
    t = await startTestServer({ clock });
    const number = randomPhoneNumber();
    const phone = await registerPhone(t, number);
    sockets.push(phone.socket);
    const code = await codeFor(number);

    expect(await guess(phone.socket, wrongCode(1))).toEqual({
      code: 'ref_unknown',
      details: expect.anything(),
    });
    expect(
      ((await guess(phone.socket, wrongCode(2))).details as { retryAfterMs?: number }).retryAfterMs,
    ).toBe(undefined);
    // The third wrong code on this socket starts a 30 s wait on it; then even the right code waits.
    expect((await guess(phone.socket, wrongCode(3))).details).toMatchObject({ retryAfterMs: 30_000 });
    expect((await guess(phone.socket, code)).details).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 30_000,
    });

    // Another socket of the same phone: the account has three failures; the fifth starts its wait.
    const second = await socketOf(phone);
    expect((await guess(second, wrongCode(4))).code).toBe('ref_unknown');
    expect((await guess(second, wrongCode(5))).details).toMatchObject({
      code: 'ref_unknown',
      retryAfterMs: 30_000,
    });
    expect((await guess(second, code)).details).toMatchObject({ code: 'rate_limited', retryAfterMs: 30_000 });

    // Waited out: the right code works, and the wrong ones before it no longer count.
    clock.advance(30_000);
    const preview = await second.request('link.preview', { code });
    expect(preview.devicePublicKey).toBe(links[0]!.computer.publicKey);
    const repos = t.server.ctx.repos;
    expect(await repos.rateLimits.find(`link-guess-account:${phone.accountId}`)).toBeUndefined();
    expect(await repos.rateLimits.find('link-guess-ip:127.0.0.1')).toBeUndefined();
    for (let i = 0; i < 2; i++)
      expect((await guess(second, wrongCode(10 + i))).details).not.toHaveProperty('retryAfterMs');
  });

  it('LIM-1 LIM-3 300 linking codes at once from one phone: at most 5 are looked up, however many sockets carry them', async () => {
    t = await startTestServer();
    const number = randomPhoneNumber();
    const phone = await registerPhone(t, number);
    sockets.push(phone.socket);
    const code = await codeFor(number);
    const carriers = await Promise.all(Array.from({ length: 6 }, () => socketOf(phone)));
    const lookups = vi.spyOn(t.server.ctx.repos.links, 'findSessionByCode');
    const answers = await Promise.all([
      ...Array.from({ length: 299 }, (_, i) =>
        carriers[i % carriers.length]!.raw('link.preview', { code: wrongCode(i) }),
      ),
      carriers[0]!.raw('link.preview', { code }),
    ]);
    expect(lookups.mock.calls.length).toBeLessThanOrEqual(5);
    const codes = answers.map((a) => a.error?.code);
    expect(codes.filter((c) => c === 'ref_unknown').length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === 'rate_limited').length).toBeGreaterThanOrEqual(295);
    // Sent last, after the account's count was reached: refused without being looked up.
    expect(answers.at(-1)?.error?.code).toBe('rate_limited');
  });

  it('LIM-3 one IP gets 20 wrong codes in a row across accounts; the next, from any account, waits', async () => {
    t = await startTestServer();
    const phones = await Promise.all(Array.from({ length: 5 }, () => registerPhone(t!, randomPhoneNumber())));
    let n = 0;
    let last: { code: unknown; details: unknown } | undefined;
    for (const phone of phones) {
      sockets.push(phone.socket);
      const other = await socketOf(phone);
      // Two wrong codes on each of two sockets: under the socket's and the account's counts.
      for (const s of [phone.socket, phone.socket, other, other]) last = await guess(s, wrongCode(n++));
    }
    expect(n).toBe(20);
    expect(last?.details).toMatchObject({ code: 'ref_unknown', retryAfterMs: 30_000 });
    const fresh = await registerPhone(t, randomPhoneNumber());
    sockets.push(fresh.socket);
    expect((await guess(fresh.socket, wrongCode(99))).details).toMatchObject({ code: 'rate_limited' });
  });
});
