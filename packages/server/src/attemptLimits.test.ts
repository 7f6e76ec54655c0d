import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { approvalMessage, linkMacMessage } from '@latch/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeviceSocket, HeadlessDevice } from './headless/headlessDevice';
import { PIN_FAILURES_BEFORE_LOCK } from './services/pin.service';
import { RESEND_AFTER_MS } from './services/registration.service';
import { countCodeChecks, gatePinChecks } from './testing/evaluationGate';
import { allAvailable, createTestDatabase, probePostgres } from './testing/testBackends';
import {
  errorOf,
  httpCall,
  linkConnected,
  randomPhoneNumber,
  registerPhone,
  startLink,
  waitUntil,
} from './testing/testHelpers';
import { startTestServer, type TestServer } from './testing/testServer';

/**
 * LIM-1: guesses sent all at once. Every attempt limit must reserve the attempt in the store before
 * the guess is evaluated, so however many arrive together, only as many are evaluated as the limit
 * allows (PIN-3, REG-3), on SQLite and on PostgreSQL.
 */

const pgBackend = await probePostgres();
const pgRuns = allAvailable([pgBackend], 'LIM-1 races on PostgreSQL (attemptLimits.test.ts)');

const RIGHT_PIN = '275913';
const GUESSES = 300;
/** Wrong PINs that differ from each other and from the right one. */
const wrongPin = (i: number) => String(100_000 + i * 7);

interface StoreUnderTest {
  kind: 'sqlite' | 'postgres';
  runs: boolean;
  /** Environment for a server on a fresh, empty store. */
  create(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }>;
}

const stores: StoreUnderTest[] = [
  { kind: 'sqlite', runs: true, create: async () => ({ env: {}, cleanup: async () => {} }) },
  {
    kind: 'postgres',
    runs: pgRuns,
    create: async () => {
      const db = await createTestDatabase(pgBackend.url);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-lim-'));
      return {
        env: { DATABASE_URL: db.url, DATA_DIR: dataDir },
        cleanup: async () => {
          await db.drop();
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
];

/** Sends `count` requests at once, spread over `sockets`; resolves each with its answer. */
function spread(sockets: DeviceSocket[], count: number, params: (i: number) => unknown, method: string) {
  return Array.from({ length: count }, (_, i) => sockets[i % sockets.length]!.raw(method, params(i)));
}

for (const store of stores) {
  describe.runIf(store.runs)(`LIM-1 attempt races on ${store.kind}`, () => {
    let t: TestServer;
    let cleanup = async () => {};

    beforeAll(async () => {
      const created = await store.create();
      cleanup = created.cleanup;
      t = await startTestServer({ env: created.env });
    });
    afterAll(async () => {
      await t?.close();
      await cleanup();
    });

    it('LIM-1 PIN-3 300 wrong pin.confirm at once from the phone: at most 5 are evaluated, and the right PIN sent while they are checked is refused', async () => {
      const phone = await registerPhone(t, randomPhoneNumber());
      await phone.socket.request('pin.set', { pin: RIGHT_PIN });
      // Six sockets of the same phone (under the per-device cap), 50 guesses each: no pacing.
      const sockets = await Promise.all(Array.from({ length: 6 }, () => phone.device.connect()));
      const gate = gatePinChecks(t.server.services.pins, RIGHT_PIN);
      try {
        let answered = 0;
        const wrong = spread(sockets, GUESSES - 1, (i) => ({ pin: wrongPin(i) }), 'pin.confirm').map((p) =>
          p.finally(() => {
            answered += 1;
          }),
        );
        // Every wrong guess is now either answered or being evaluated.
        await waitUntil(() => answered + gate.held() === GUESSES - 1, 30_000);
        const right = await phone.socket.raw('pin.confirm', { pin: RIGHT_PIN });
        gate.release();
        const answers = await Promise.all(wrong);

        expect(gate.calls()).toBeLessThanOrEqual(PIN_FAILURES_BEFORE_LOCK);
        expect(right.ok).toBe(false);
        expect(right.error?.code).toBe('pin_locked');
        expect(right.error?.retryAfterMs).toBeGreaterThan(0);
        const codes = answers.map((a) => a.error?.code);
        expect(codes.filter((c) => c === 'pin_invalid')).toHaveLength(gate.calls());
        expect(codes.every((c) => c === 'pin_invalid' || c === 'pin_locked')).toBe(true);
      } finally {
        gate.restore();
        for (const s of [...sockets, phone.socket]) s.close();
      }
    });

    it('LIM-1 PIN-4 every path that asks for the PIN shares one count: 300 wrong PINs at once through change, turn off, recovery email, link approval, logging out one and all', async () => {
      const phone = await registerPhone(t, randomPhoneNumber());
      const computer = await linkConnected(t, phone);
      await phone.socket.request('pin.set', { pin: RIGHT_PIN });
      const link = await startLink(t);
      const { linkId } = await phone.socket.request('link.preview', { ref: link.ref });
      const devicePublicKey = link.computer.publicKey;
      const signature = await phone.device.sign(approvalMessage(linkId, devicePublicKey));
      const mac = createHmac('sha256', link.linkSecret)
        .update(linkMacMessage(devicePublicKey, phone.device.publicKey))
        .digest('base64url');
      const paths: Array<(pin: string) => [string, unknown]> = [
        (pin) => ['pin.set', { pin: '480126', currentPin: pin }],
        (pin) => ['pin.disable', { pin }],
        (pin) => ['pin.setRecoveryEmail', { pin, recoveryEmail: 'ada@example.com' }],
        (pin) => ['link.approve', { linkId, devicePublicKey, signature, mac, pin }],
        (pin) => ['devices.logout', { deviceId: computer.deviceId, pin }],
        (pin) => ['devices.logoutAll', { pin }],
        (pin) => ['pin.confirm', { pin }],
      ];
      const sockets = await Promise.all(Array.from({ length: 5 }, () => phone.device.connect()));
      const gate = gatePinChecks(t.server.services.pins, RIGHT_PIN);
      try {
        let answered = 0;
        const wrong = Array.from({ length: GUESSES - 1 }, (_, i) => {
          const [method, params] = paths[i % paths.length]!(wrongPin(i));
          return sockets[i % sockets.length]!.raw(method, params).finally(() => {
            answered += 1;
          });
        });
        await waitUntil(() => answered + gate.held() === GUESSES - 1, 30_000);
        const right = await phone.socket.raw('devices.logoutAll', { pin: RIGHT_PIN });
        gate.release();
        const answers = await Promise.all(wrong);

        expect(gate.calls()).toBeLessThanOrEqual(PIN_FAILURES_BEFORE_LOCK);
        expect(right.error?.code).toBe('pin_locked');
        expect(answers.every((a) => a.error?.code === 'pin_invalid' || a.error?.code === 'pin_locked')).toBe(
          true,
        );
        // Nothing went through: the computer is still signed in and nothing new was linked.
        expect((await computer.socket.request('account.get', {})).id).toBe(phone.accountId);
        const repos = t.server.ctx.repos;
        expect(await repos.devices.listActive(phone.accountId, 'companion')).toHaveLength(1);
      } finally {
        gate.restore();
        link.attempt.ws.close();
        for (const s of [...sockets, phone.socket, computer.socket]) s.close();
      }
    });

    it('LIM-1 REG-3 300 wrong codes at once on /v1/register/verify with the right one among them: at most 5 are compared', async () => {
      const number = randomPhoneNumber();
      const device = await HeadlessDevice.create(t.url, 'phone');
      expect((await device.http('POST', '/v1/register/code', { phoneNumber: number })).status).toBe(200);
      const code = await t.readCode(number);
      const wrongCode = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
      const checks = countCodeChecks(t.server.services.registration);
      try {
        const verify = (c: string) =>
          device.http('POST', '/v1/register/verify', {
            phoneNumber: number,
            code: c,
            publicKey: device.publicKey,
          });
        const answers = await Promise.all([
          ...Array.from({ length: GUESSES - 1 }, (_, i) => verify(wrongCode(i))),
          verify(code),
        ]);
        expect(checks.calls()).toBeLessThanOrEqual(PIN_FAILURES_BEFORE_LOCK);
        const statuses = answers.map((a) => a.status);
        // Whatever was not compared was refused with the wait, not told "wrong code".
        expect(statuses.filter((s) => s === 400).length).toBeLessThan(PIN_FAILURES_BEFORE_LOCK);
        const refused = answers.filter((a) => a.status === 429);
        expect(refused.length).toBeGreaterThanOrEqual(GUESSES - PIN_FAILURES_BEFORE_LOCK);
        for (const r of refused) expect(errorOf(r.json)).toMatchObject({ code: 'rate_limited' });
        // The right code passed only if it was one of the few compared.
        const rightAnswer = answers.at(-1)!;
        if (rightAnswer.status === 200) expect(checks.calls()).toBeGreaterThan(0);
      } finally {
        checks.restore();
      }
    });

    it('LIM-2 REG-4 ten code requests at once for one number send one code; the others are told to wait', async () => {
      const number = randomPhoneNumber();
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          httpCall(t.url, 'POST', '/v1/register/code', { body: { phoneNumber: number } }),
        ),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      for (const a of answers.filter((x) => x.status !== 200)) {
        expect(errorOf(a.json)).toMatchObject({ code: 'rate_limited' });
        expect(Number(errorOf(a.json)?.retryAfterMs)).toBeGreaterThan(RESEND_AFTER_MS - 5_000);
      }
      await t.readCode(number);
    });

    it('LIM-1 PIN-5 a raced SIM-swap: 300 re-registrations with the SMS code and wrong PINs at once never log the real phone out', async () => {
      const number = randomPhoneNumber();
      const phone = await registerPhone(t, number);
      await phone.socket.request('pin.set', { pin: RIGHT_PIN });
      const thief = await HeadlessDevice.create(t.url, 'phone');
      expect((await thief.http('POST', '/v1/register/code', { phoneNumber: number })).status).toBe(200);
      const code = await t.readCode(number);
      const reregister = (pin: string) =>
        thief.http('POST', '/v1/register/verify', {
          phoneNumber: number,
          code,
          publicKey: thief.publicKey,
          pin,
        });
      const gate = gatePinChecks(t.server.services.pins, RIGHT_PIN);
      try {
        let answered = 0;
        const wrong = Array.from({ length: GUESSES - 1 }, (_, i) =>
          reregister(wrongPin(i)).finally(() => {
            answered += 1;
          }),
        );
        await waitUntil(() => answered + gate.held() === GUESSES - 1, 30_000);
        const right = await reregister(RIGHT_PIN);
        gate.release();
        const answers = await Promise.all(wrong);

        expect(gate.calls()).toBeLessThanOrEqual(PIN_FAILURES_BEFORE_LOCK);
        expect(right.status).toBe(429);
        expect(errorOf(right.json)?.code).toBe('pin_locked');
        expect(answers.every((a) => a.status === 403 || a.status === 429)).toBe(true);
        // The real phone is still the account's phone, signed in, its socket open.
        const account = await phone.socket.request('account.get', {});
        expect(account.id).toBe(phone.accountId);
        const primary = await t.server.ctx.repos.devices.listActive(phone.accountId, 'primary');
        expect(primary.map((d) => d.public_key)).toEqual([phone.device.publicKey]);
      } finally {
        gate.restore();
        phone.socket.close();
      }
    });
  });
}
