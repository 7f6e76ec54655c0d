import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { approveLink, HeadlessDevice, linkHeadlessComputer } from '../headless/headlessDevice';
import { createLogger } from '../logger';
import type { DeviceRow } from '../repositories/device.repository';
import { openContext } from '../server';
import type { ServiceContext } from '../services/context';
import { createServices, type Services } from '../services/services';
import { storesUnderTest } from '../testing/testBackends';
import { randomPhoneNumber, registerPhone, sleep, startLink, testDeviceRow } from '../testing/testHelpers';
import { CapturedSms, startTestServer, type TestServer } from '../testing/testServer';
import { openDatabase } from './database';
import { migrationProvider } from './migrations';

/**
 * The same behaviour from both stores: every repository query the services rely on, and the places
 * where SQLite's single writer made a check-then-write safe, which PostgreSQL must get from locks.
 */

const stores = await storesUnderTest('store conformance on PostgreSQL (STORE-1 … STORE-9)');

let ipCounter = 0;
/** A different IP per registration, so the per-IP code quota never gets in the way. */
const nextIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

for (const store of stores) {
  describe.runIf(store.runs)(`store conformance on ${store.kind}`, () => {
    let url = '';
    let cleanup = async () => {};
    let ctx: ServiceContext;
    let services: Services;
    let closeContext = async () => {};
    const sms = new CapturedSms();

    beforeAll(async () => {
      ({ url, cleanup } = await store.create());
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-store-ctx-'));
      const opened = await openContext(
        parseConfig({ DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
        { sms, log: createLogger('silent') },
      );
      ctx = opened.ctx;
      services = createServices(ctx);
      closeContext = async () => {
        await opened.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      };
    });

    afterAll(async () => {
      try {
        await closeContext();
      } finally {
        await cleanup();
      }
    });

    /** Registers a number through the real service; returns the account and its phone's device id. */
    async function register(phoneNumber = randomPhoneNumber()) {
      const ip = nextIp();
      const phone = await HeadlessDevice.create('http://127.0.0.1', 'phone');
      await services.registration.requestCode(phoneNumber, ip);
      const code = await sms.next(phoneNumber);
      const r = await services.registration.verify({
        phoneNumber,
        code,
        publicKey: phone.publicKey,
        ip,
        userAgent: undefined,
      });
      return { accountId: r.account.id, deviceId: r.deviceId, phoneNumber };
    }

    function companion(accountId: string, id: string, now: number): DeviceRow {
      return testDeviceRow({ id, account_id: accountId, kind: 'companion', created_at: now });
    }

    it(`STORE-1 migrations apply once on ${store.kind}; reopening migrates nothing and keeps the data`, async () => {
      const { accountId } = await register();
      const again = await openDatabase(url);
      try {
        const applied = await again.db
          .selectFrom(sql<{ name: string }>`kysely_migration`.as('m'))
          .select('m.name')
          .execute();
        const names = Object.keys(await migrationProvider.getMigrations()).sort();
        expect(applied.map((r) => r.name).sort()).toEqual(names);
        const row = await again.db
          .selectFrom('accounts')
          .select('id')
          .where('id', '=', accountId)
          .executeTakeFirst();
        expect(row?.id).toBe(accountId);
        expect(again.dialect).toBe(store.kind);
      } finally {
        await again.close();
      }
    });

    it('STORE-2 millisecond timestamps and counters come back as exact JavaScript numbers', async () => {
      const key = `store2:${randomInt(1e9)}`;
      const far = 2 ** 53 - 1;
      const now = Date.now();
      await ctx.repos.rateLimits.upsert({
        key,
        count: 7,
        window_start: far,
        failures: 2,
        lockouts: 1,
        locked_until: now,
      });
      const row = await ctx.repos.rateLimits.find(key);
      expect(row).toEqual({ key, count: 7, window_start: far, failures: 2, lockouts: 1, locked_until: now });
      expect(typeof row?.window_start).toBe('number');
    });

    it('STORE-3 devices: insert, find, list active; revoke once even when two logouts race; revokedSince', async () => {
      const { accountId, deviceId: primaryId } = await register();
      const now = Date.now();
      const ids = [`c1-${randomInt(1e9)}`, `c2-${randomInt(1e9)}`];
      for (const id of ids) await ctx.repos.devices.insert(companion(accountId, id, now));
      expect((await ctx.repos.devices.findById(ids[0]!))?.account_id).toBe(accountId);
      const active = await ctx.repos.devices.listActive(accountId, 'companion');
      expect(active.map((d) => d.id).sort()).toEqual([...ids].sort());
      expect((await ctx.repos.devices.listActive(accountId)).map((d) => d.id)).toContain(primaryId);

      // Two transactions revoke the same device at once: exactly one of them revokes it.
      const race = await Promise.all(
        [0, 1].map(() =>
          ctx.db.transaction().execute((trx) => ctx.repos.devices.revoke([ids[0]!], 'phone', now, trx)),
        ),
      );
      expect(race.map((r) => r.length).sort()).toEqual([0, 1]);
      expect(race.flat()[0]).toMatchObject({ id: ids[0], revoked_reason: 'phone', token_hash: null });
      expect(await ctx.repos.devices.revoke([], 'phone', now)).toEqual([]);

      const since = await ctx.repos.devices.revokedSince(now);
      expect(since).toContainEqual({ id: ids[0], revoked_reason: 'phone', revoked_at: now });
      expect(since.map((r) => r.id)).not.toContain(ids[1]);
      expect((await ctx.repos.devices.listActive(accountId, 'companion')).map((d) => d.id)).toEqual([ids[1]]);
    });

    it('STORE-9 LNK-14 LNK-16 two phones previewing at once: one is bound; approval and ending need its number', async () => {
      const linkId = await services.links.start({
        publicKey: (await HeadlessDevice.create('http://127.0.0.1', 'web')).publicKey,
        keepSignedIn: true,
        ip: '203.0.113.7',
        userAgent: undefined,
      });
      const preview = (by: string) => ({ by, refHash: null, matchNumber: 42, matchChoices: '17,42,88' });
      const race = await Promise.all(
        ['phone-a', 'phone-b'].map((by) => ctx.repos.links.bindPreview(linkId, preview(by))),
      );
      expect(race.filter(Boolean)).toHaveLength(1);
      const by = race[0] ? 'phone-a' : 'phone-b';
      const other = by === 'phone-a' ? 'phone-b' : 'phone-a';
      expect(await ctx.repos.links.markApproved(linkId, 'd1', { by: other, matchNumber: 42 })).toBe(false);
      expect(await ctx.repos.links.markApproved(linkId, 'd1', { by, matchNumber: 17 })).toBe(false);
      expect(await ctx.repos.links.endPreview(linkId, by, 17)).toBe(false);
      expect(await ctx.repos.links.findSession(linkId)).toMatchObject({ previewed_by: by, match_number: 42 });
      const ends = await Promise.all([0, 1].map(() => ctx.repos.links.endPreview(linkId, by, 42)));
      expect(ends.sort()).toEqual([false, true]);
      expect(await ctx.repos.links.findSession(linkId)).toMatchObject({
        previewed_by: null,
        match_number: null,
      });
      expect(await ctx.repos.links.markApproved(linkId, 'd1', { by, matchNumber: 42 })).toBe(false);
    });

    it('STORE-4 rate limits: upsert inserts then updates; 20 failures reserved in parallel are all counted', async () => {
      const key = `store4:${randomInt(1e9)}`;
      const base = { key, count: 1, window_start: 1000, failures: 0, lockouts: 0, locked_until: 0 };
      await ctx.repos.rateLimits.upsert(base);
      await ctx.repos.rateLimits.upsert({ ...base, count: 2, window_start: 2000 });
      expect(await ctx.repos.rateLimits.find(key)).toMatchObject({ count: 2, window_start: 2000 });
      const counting = { lockFrom: 100, waits: [30_000] };
      await Promise.all(
        Array.from({ length: 20 }, () => ctx.repos.rateLimits.reserveFailure(key, Date.now(), counting)),
      );
      expect((await ctx.repos.rateLimits.find(key))?.failures).toBe(20);
      await ctx.repos.rateLimits.delete(key);
      expect(await ctx.repos.rateLimits.find(key)).toBeUndefined();
    });

    it('STORE-5 50 parallel sends in one chat take sequence numbers 1..50, in sync id order', async () => {
      const a = await register();
      const b = await register();
      const chat = await services.chats.openDirect(a.accountId, b.phoneNumber);
      const sent = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          services.messages.send(a.accountId, a.deviceId, {
            chatId: chat.id,
            clientMsgId: `store5-${i}-${randomInt(1e9)}`,
            text: `hello ${i}`,
          }),
        ),
      );
      expect(sent.map((m) => m.seq).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      const synced = await services.messages.sync(b.accountId, 0, 100);
      expect(synced.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(typeof synced.nextAfterId).toBe('number');
      expect((await ctx.repos.chats.findChat(chat.id))?.last_seq).toBe(50);
    });

    it('STORE-6 a message commits only after every message with a lower sync id (catch-up never skips one)', async () => {
      const a = await register();
      const b = await register();
      const c = await register();
      const chat1 = await services.chats.openDirect(a.accountId, b.phoneNumber);
      const chat2 = await services.chats.openDirect(a.accountId, c.phoneNumber);
      const message = (chatId: string, seq: number, n: number) => ({
        id: `m${n}-${randomInt(1e9)}`,
        chat_id: chatId,
        seq,
        sender_account_id: a.accountId,
        sender_device_id: a.deviceId,
        client_msg_id: `store6-${n}-${randomInt(1e9)}`,
        body: 'x',
        sent_at: Date.now(),
      });
      let release = () => {};
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let firstInserted = () => {};
      const inserted = new Promise<void>((r) => {
        firstInserted = r;
      });
      // The first send takes its sync id and then holds its transaction open.
      const first = ctx.db.transaction().execute(async (trx) => {
        const seq = await ctx.repos.chats.nextSeq(chat1.id, Date.now(), trx);
        const id = await ctx.repos.chats.insertMessage(message(chat1.id, seq, 1), trx);
        firstInserted();
        await gate;
        return id;
      });
      await inserted;
      // A send in another chat must not commit (with a higher id) while the first is still open.
      let secondDone = false;
      const second = ctx.db
        .transaction()
        .execute(async (trx) => {
          const seq = await ctx.repos.chats.nextSeq(chat2.id, Date.now(), trx);
          return ctx.repos.chats.insertMessage(message(chat2.id, seq, 2), trx);
        })
        .then((id) => {
          secondDone = true;
          return id;
        });
      await sleep(300);
      expect(secondDone).toBe(false);
      release();
      const [firstId, secondId] = await Promise.all([first, second]);
      expect(secondId).toBeGreaterThan(firstId);
    });

    it('STORE-7 lockAccount makes a second transaction on the same account wait for the first', async () => {
      const { accountId } = await register();
      let release = () => {};
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let locked = () => {};
      const firstLocked = new Promise<void>((r) => {
        locked = r;
      });
      const first = ctx.db.transaction().execute(async (trx) => {
        await ctx.repos.accounts.lockAccount(accountId, trx);
        locked();
        await gate;
      });
      await firstLocked;
      let secondLocked = false;
      const second = ctx.db.transaction().execute(async (trx) => {
        await ctx.repos.accounts.lockAccount(accountId, trx);
        secondLocked = true;
      });
      await sleep(300);
      expect(secondLocked).toBe(false);
      release();
      await Promise.all([first, second]);
      expect(secondLocked).toBe(true);
    });

    describe('through a full server', () => {
      let t: TestServer;
      beforeAll(async () => {
        t = await startTestServer({ env: { DATABASE_URL: url, MAX_COMPANIONS: '1' } });
      });
      afterAll(async () => {
        await t?.close();
      });

      it('STORE-8 LNK-6 two approvals racing for the last slot: exactly one wins, three times over', async () => {
        const phone = await registerPhone(t, randomPhoneNumber());
        for (let round = 0; round < 3; round++) {
          const links = await Promise.all([startLink(t), startLink(t)]);
          const previews = await Promise.all(
            links.map((l) => phone.socket.request('link.preview', { ref: l.ref })),
          );
          const outcomes = await Promise.allSettled(
            links.map((l, i) => approveLink(phone, previews[i]!.linkId, l.computer.publicKey, l.linkSecret)),
          );
          const won = outcomes.filter((o) => o.status === 'fulfilled');
          const lost = outcomes.flatMap((o) =>
            o.status === 'rejected' ? [o.reason as { code?: string }] : [],
          );
          expect(won).toHaveLength(1);
          expect(lost.map((e) => e.code)).toEqual(['device_limit']);
          const repos = t.server.ctx.repos;
          expect(await repos.devices.listActive(phone.accountId, 'companion')).toHaveLength(1);
          for (const l of links) l.attempt.ws.close();
          await phone.socket.request('devices.logoutAll', {});
        }
        phone.socket.close();
      });

      it('STORE-9 OUT-1 register, link, and "Log out from all devices" closes the computer within 1 s', async () => {
        const phone = await registerPhone(t, randomPhoneNumber());
        const computer = await linkHeadlessComputer(t.url, phone);
        const socket = await computer.connect();
        const started = Date.now();
        await phone.socket.request('devices.logoutAll', {});
        const closed = await socket.closed;
        expect(Date.now() - started).toBeLessThan(1000);
        expect(closed).toEqual({ code: 4403, reason: 'phone' });
        expect((await computer.http('GET', '/v1/session?client=web')).status).toBe(401);
        phone.socket.close();
      });
    });
  });
}
