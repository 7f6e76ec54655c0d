import { authMessage, CloseCode, rpcMethods } from '@latch/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  httpCall,
  isRecord,
  type LoggedServer,
  linkConnected,
  type Phone,
  RawSocket,
  registerPhone,
  sleep,
  startLoggedServer,
  waitUntil,
} from '../testing/testHelpers';
import { expectQuietLogs, fuzzParams, hostileJson, hostileString, mutatedObject } from './fuzzKit';

/** Close codes a socket may end with on bad input (IN-2, AUTH-3/4, IN-4); 1009 is ws's own size limit. */
const BAD_INPUT_CLOSES = [CloseCode.badFrame, CloseCode.unauthorized, CloseCode.rateLimited, 1009];

/** A frame as the wire carries it: text (JSON or not) or binary. */
const frame = fc.oneof(
  hostileJson.map((v) => JSON.stringify(v)),
  hostileString,
  mutatedObject(['type', 'signature', 'id', 'method', 'params']).map((o) => JSON.stringify(o)),
  fc
    .record({ type: fc.constantFrom('auth', 'req', 'link.start'), signature: hostileString })
    .map((o) => JSON.stringify(o)),
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
);

/** RPC params: the method's own keys with hostile or valid-looking values, plus the odd unknown key. */
const rpcCall = fc
  .constantFrom(...(Object.keys(rpcMethods) as Array<keyof typeof rpcMethods>))
  .chain((method) => {
    const schema = rpcMethods[method].params as unknown as { shape?: Record<string, unknown> };
    const keys = Object.keys(schema.shape ?? {});
    return fc.tuple(fc.constant(method), fc.oneof(mutatedObject(keys), hostileJson));
  });

describe('IN-6 fuzz: hostile WebSocket frames and RPC params on a real server', () => {
  let s: LoggedServer;
  let phone: Phone;
  const secrets: string[] = [];
  beforeAll(async () => {
    s = await startLoggedServer({ level: 'info' });
    phone = await registerPhone(s, '+15550009100');
    const { computer } = await linkConnected(s, phone);
    secrets.push(
      phone.device.sessionCookie?.split('.')[1] ?? 'none',
      computer.sessionCookie?.split('.')[1] ?? 'none',
    );
  });
  afterAll(async () => {
    phone?.socket.close();
    await s?.close();
  });

  /** An authenticated socket of the phone, opened by hand so any frame can be sent on it. */
  async function authedSocket(): Promise<RawSocket> {
    const raw = new RawSocket(s.url, '/v1/ws?client=phone', { cookie: phone.device.cookieHeader });
    const { nonce } = await raw.next('challenge');
    raw.send(
      JSON.stringify({ type: 'auth', signature: await phone.device.sign(authMessage(String(nonce))) }),
    );
    await raw.next('ready');
    return raw;
  }

  it('IN-6 frames before auth close the socket with 4400 or 4401, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(frame, async (data) => {
        const raw = new RawSocket(s.url, '/v1/ws?client=phone', { cookie: phone.device.cookieHeader });
        await raw.next('challenge');
        raw.send(data);
        const closed = await raw.closed;
        // A frame that happens to be a well-formed auth with a wrong signature is refused as such.
        expect([CloseCode.badFrame, CloseCode.unauthorized], JSON.stringify(closed)).toContain(closed.code);
      }),
      fuzzParams(40),
    );
  });

  it('IN-6 frames on the link channel: error frames or a documented close, never an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(frame, async (data) => {
        const raw = new RawSocket(s.url, '/v1/link');
        if ((await raw.upgrade) !== 'open') throw new Error('the link channel did not open');
        raw.send(data);
        const outcome = await Promise.race([raw.closed, sleep(150).then(() => null)]);
        if (outcome) expect(BAD_INPUT_CLOSES, JSON.stringify(outcome)).toContain(outcome.code);
        raw.ws.close();
      }),
      fuzzParams(40),
    );
  });

  it('IN-6 every RPC method with mutated params answers ok or a precise error (never internal); bad frames close 4400', async () => {
    let raw = await authedSocket();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(rpcCall, fc.option(frame, { freq: 8 }), async ([method, params], junk) => {
        if (junk !== null) {
          // Anything that is not a request frame closes the socket with 4400 (IN-2).
          raw.send(junk);
          const outcome = await Promise.race([raw.closed, sleep(100).then(() => null)]);
          if (outcome) {
            expect(BAD_INPUT_CLOSES, JSON.stringify(outcome)).toContain(outcome.code);
            raw = await authedSocket();
          }
        }
        const id = `fuzz-${++n}`;
        raw.send(JSON.stringify({ type: 'req', id, method, params }));
        const answer = () => raw.messages.find((m) => isRecord(m) && m.type === 'res' && m.id === id);
        await waitUntil(() => answer() !== undefined || raw.ws.readyState !== raw.ws.OPEN, 5000);
        const res = answer();
        if (!isRecord(res)) {
          const closed = await raw.closed;
          expect([CloseCode.loggedOut, ...BAD_INPUT_CLOSES], JSON.stringify(closed)).toContain(closed.code);
          raw = await authedSocket();
          return;
        }
        if (res.ok !== true) {
          const error = isRecord(res.error) ? res.error : {};
          expect(typeof error.code, `${method} ${JSON.stringify(params)}`).toBe('string');
          expect(error.code, `${method} ${JSON.stringify(params)}`).not.toBe('internal');
        }
      }),
      fuzzParams(300),
    );
    raw.ws.close();
    expect((await httpCall(s.url, 'GET', '/healthz')).status).toBe(200);
    expectQuietLogs(s.logs, secrets);
  });
});
