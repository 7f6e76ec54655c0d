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
import {
  expectQuietLogs,
  FUZZ_TIMEOUT_MS,
  fuzzParams,
  hostileJson,
  hostileString,
  mutatedObject,
} from './fuzzKit';

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

/** What exists on the server, so that mutated params also reach the services, not only the schemas. */
interface World {
  numbers: string[];
  accountIds: string[];
  deviceIds: string[];
  chatIds: string[];
}

/** Values that pass the schema of each param name (by name, as rpc.ts spells them). */
function validValues(w: World): Record<string, fc.Arbitrary<unknown>> {
  const id = fc.stringMatching(/^[A-Za-z0-9_-]{10,30}$/);
  const pin = fc.constantFrom('275913', '864209');
  const phoneNumber = fc.constantFrom(...w.numbers, '+15550009777');
  return {
    name: fc.string({ minLength: 1, maxLength: 40 }),
    days: fc.constantFrom(7, 30, 90, 180),
    pin,
    currentPin: pin,
    recoveryEmail: fc.constantFrom('ada@example.com', null),
    kind: fc.constantFrom('pin', 'review'),
    deviceId: fc.oneof(fc.constantFrom(...w.deviceIds), id),
    chatId: fc.oneof(fc.constantFrom(...w.chatIds), id),
    accountId: fc.oneof(fc.constantFrom(...w.accountIds), id),
    accountIds: fc.array(fc.constantFrom(...w.accountIds), { minLength: 1, maxLength: 3 }),
    linkId: id,
    phoneNumber,
    phoneNumbers: fc.array(phoneNumber, { minLength: 1, maxLength: 3 }),
    clientMsgId: fc.stringMatching(/^[a-z0-9]{8,20}$/),
    text: fc.string({ minLength: 1, maxLength: 50 }),
    beforeSeq: fc.integer({ min: 1, max: 20 }),
    seq: fc.integer({ min: 1, max: 20 }),
    limit: fc.integer({ min: 1, max: 200 }),
    afterId: fc.nat(100),
    typing: fc.boolean(),
    ref: fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    code: fc.constantFrom('K4DP-7QXM', 'AAAA-AAAA'),
  };
}

/** RPC params: the method's own keys with valid or hostile values, plus the odd unknown key. */
function rpcCall(w: World) {
  const valid = validValues(w);
  const methods = Object.keys(rpcMethods) as Array<keyof typeof rpcMethods>;
  return fc.constantFrom(...methods).chain((method) => {
    const schema = rpcMethods[method].params as unknown as { shape?: Record<string, unknown> };
    // link.preview takes {ref} or {code} (a union: no shape of its own).
    const keys = method === 'link.preview' ? ['ref', 'code'] : Object.keys(schema.shape ?? {});
    const params = fc.oneof(
      { weight: 4, arbitrary: mutatedObject(keys, valid) },
      { weight: 1, arbitrary: hostileJson },
    );
    return fc.tuple(fc.constant(method), params);
  });
}

describe('IN-6 fuzz: hostile WebSocket frames and RPC params on a real server', () => {
  let s: LoggedServer;
  let phone: Phone;
  let friend: Phone;
  let world: World;
  const secrets: string[] = [];
  beforeAll(async () => {
    s = await startLoggedServer({ level: 'info' });
    phone = await registerPhone(s, '+15550009100');
    friend = await registerPhone(s, '+15550009101', 'Bea');
    const { computer, deviceId } = await linkConnected(s, phone);
    for (const device of [phone.device, computer])
      secrets.push(device.sessionCookie?.split('.')[1] ?? 'none');
    const direct = await phone.socket.request('chats.openDirect', { phoneNumber: '+15550009101' });
    const group = await phone.socket.request('chats.createGroup', {
      name: 'G',
      phoneNumbers: ['+15550009101'],
    });
    await phone.socket.request('messages.send', { chatId: direct.id, clientMsgId: 'seed-0001', text: 'hi' });
    world = {
      numbers: ['+15550009100', '+15550009101'],
      accountIds: [phone.accountId, friend.accountId],
      deviceIds: [deviceId, (await phone.socket.ready).deviceId],
      chatIds: [direct.id, group.id],
    };
  });
  afterAll(async () => {
    phone?.socket.close();
    friend?.socket.close();
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

  it(
    'IN-6 frames before auth close the socket with 4400 or 4401, never anything else',
    async () => {
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
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'IN-6 frames on the link channel: error frames or a documented close, never an internal error',
    async () => {
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
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'IN-6 every RPC method with mutated params answers ok or a precise error (never internal); bad frames close 4400',
    async () => {
      let raw = await authedSocket();
      let n = 0;
      /** How many calls got past the schema to a service: the suite must reach the rules, not only zod. */
      let reachedServices = 0;
      await fc.assert(
        fc.asyncProperty(rpcCall(world), fc.option(frame, { freq: 8 }), async ([method, params], junk) => {
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
          const error = isRecord(res.error) ? res.error : {};
          if (res.ok === true || error.code !== 'validation_failed') reachedServices++;
          if (res.ok !== true) {
            expect(typeof error.code, `${method} ${JSON.stringify(params)}`).toBe('string');
            expect(error.code, `${method} ${JSON.stringify(params)}`).not.toBe('internal');
          }
        }),
        fuzzParams(300),
      );
      raw.ws.close();
      expect(reachedServices).toBeGreaterThan(n / 4);
      expect((await httpCall(s.url, 'GET', '/healthz')).status).toBe(200);
      expectQuietLogs(s.logs, secrets);
    },
    FUZZ_TIMEOUT_MS,
  );
});
