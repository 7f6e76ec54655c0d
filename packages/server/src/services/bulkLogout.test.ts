import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BusEvent } from '../bus/events';
import { parseConfig } from '../config';
import { createLogger } from '../logger';
import { freshAccount } from '../repositories/account.repository';
import type { DeviceRow } from '../repositories/device.repository';
import { openContext } from '../server';
import { allAvailable, createTestDatabase, probePostgres } from '../testing/testBackends';
import { testDeviceRow } from '../testing/testHelpers';
import type { ServiceContext } from './context';
import { createServices, type Services } from './services';

/**
 * `DeviceService.logoutMany`, an operator's mass logout, on both stores: enough accounts to span
 * several transactions (250 accounts each).
 */

const pgBackend = await probePostgres();
const pgRuns = allAvailable([pgBackend], 'bulk logout on PostgreSQL (OUT-9)');

const stores = [
  {
    kind: 'sqlite',
    runs: true,
    url: (dir: string) =>
      Promise.resolve({ url: `sqlite://${path.join(dir, 'latch.db')}`, drop: async () => {} }),
  },
  {
    kind: 'postgres',
    runs: pgRuns,
    url: async () => {
      const db = await createTestDatabase(pgBackend.url);
      return { url: db.url, drop: db.drop };
    },
  },
];

const COMPANIONS = 4;
let serial = 0;
const newTestId = (prefix: string) => `${prefix}-${randomBytes(9).toString('base64url')}`;

function deviceRow(accountId: string, kind: DeviceRow['kind'], now: number): DeviceRow {
  const id = newTestId(kind === 'primary' ? 'p' : 'c');
  return testDeviceRow({
    id,
    account_id: accountId,
    kind,
    name: `Chrome on Linux ${id}`,
    created_at: now,
    online_until: now + 90_000,
  });
}

/** `count` accounts with a phone and {@link COMPANIONS} computers each, written straight to the store. */
async function seedAccounts(ctx: ServiceContext, count: number): Promise<string[]> {
  const now = Date.now();
  const ids: string[] = [];
  const devices: DeviceRow[] = [];
  for (let i = 0; i < count; i++) {
    const id = newTestId('a');
    ids.push(id);
    await ctx.repos.accounts.insert(
      freshAccount({
        id,
        phone_number: `+1555${String(++serial).padStart(7, '0')}`,
        name: `Bulk ${i}`,
        created_at: now,
      }),
    );
    devices.push(deviceRow(id, 'primary', now));
    for (let c = 0; c < COMPANIONS; c++) devices.push(deviceRow(id, 'companion', now));
  }
  for (let i = 0; i < devices.length; i += 500)
    await ctx.db
      .insertInto('devices')
      .values(devices.slice(i, i + 500))
      .execute();
  return ids;
}

async function activeDevices(ctx: ServiceContext, accountIds: string[], kind: DeviceRow['kind']) {
  let n = 0;
  for (let i = 0; i < accountIds.length; i += 500) {
    const rows = await ctx.db
      .selectFrom('devices')
      .select('id')
      .where('account_id', 'in', accountIds.slice(i, i + 500))
      .where('kind', '=', kind)
      .where('revoked_at', 'is', null)
      .execute();
    n += rows.length;
  }
  return n;
}

for (const store of stores) {
  describe.runIf(store.runs)(`bulk logout on ${store.kind}`, () => {
    let ctx: ServiceContext;
    let services: Services;
    let close = async () => {};
    let events: BusEvent[] = [];
    /** For each `devices.revoked`: were its devices already revoked for a reader outside the transaction? */
    let committedWhenPublished: Array<Promise<boolean>> = [];

    beforeAll(async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-bulk-'));
      const database = await store.url(dir);
      const opened = await openContext(
        parseConfig({ DATABASE_URL: database.url, DATA_DIR: dir, LOG_LEVEL: 'silent' }),
        { log: createLogger('silent') },
      );
      ctx = opened.ctx;
      services = createServices(ctx);
      ctx.bus.subscribe((e) => {
        events.push(e);
        if (e.type === 'devices.revoked') committedWhenPublished.push(allRevoked(e.deviceIds));
      });
      close = async () => {
        await opened.close();
        await database.drop();
        fs.rmSync(dir, { recursive: true, force: true });
      };
    });
    afterAll(() => close());
    beforeEach(() => {
      events = [];
      committedWhenPublished = [];
    });

    async function allRevoked(deviceIds: string[]): Promise<boolean> {
      const rows = await ctx.db
        .selectFrom('devices')
        .select('id')
        .where('id', 'in', deviceIds)
        .where('revoked_at', 'is not', null)
        .execute();
      return rows.length === deviceIds.length;
    }

    const ofType = <T extends BusEvent['type']>(type: T) =>
      events.filter((e): e is Extract<BusEvent, { type: T }> => e.type === type);

    it('OUT-9 logging out 300 accounts’ computers: 2 transactions, one devices.revoked each, after commit; phones stay', async () => {
      const targets = await seedAccounts(ctx, 300);
      const bystanders = await seedAccounts(ctx, 3);

      const count = await services.devices.logoutMany({
        accountIds: [...targets, targets[0]!],
        reason: 'admin',
      });

      expect(count).toBe(300 * COMPANIONS);
      expect(await activeDevices(ctx, targets, 'companion')).toBe(0);
      expect(await activeDevices(ctx, targets, 'primary')).toBe(300);
      expect(await activeDevices(ctx, bystanders, 'companion')).toBe(3 * COMPANIONS);
      const revokedEvents = ofType('devices.revoked');
      expect(revokedEvents.map((e) => e.deviceIds.length)).toEqual([250 * COMPANIONS, 50 * COMPANIONS]);
      expect(revokedEvents.every((e) => e.reason === 'admin')).toBe(true);
      expect(await Promise.all(committedWhenPublished)).toEqual([true, true]);
      expect(new Set(ofType('devices.changed').map((e) => e.accountId))).toEqual(new Set(targets));
      // The same security event per device as a single logout records.
      const logged = ofType('security.event');
      expect(logged).toHaveLength(300 * COMPANIONS);
      expect(logged[0]?.event).toMatchObject({ type: 'device_logged_out', reason: 'admin' });
      const stored = await ctx.db
        .selectFrom('security_events')
        .select(['device_id', 'device_name', 'reason'])
        .where('account_id', '=', targets[299]!)
        .where('type', '=', 'device_logged_out')
        .execute();
      expect(stored).toHaveLength(COMPANIONS);
      expect(stored[0]).toMatchObject({ reason: 'admin', device_name: expect.stringContaining('Chrome') });

      // Nothing is logged out twice.
      events = [];
      expect(await services.devices.logoutMany({ accountIds: targets, reason: 'admin' })).toBe(0);
      expect(events).toEqual([]);
    });

    it('OUT-9 logging out every computer on the server pages through the accounts 250 at a time, phones stay', async () => {
      const accounts = await seedAccounts(ctx, 260);
      const before = await ctx.db
        .selectFrom('devices')
        .select(({ fn }) => fn.countAll().as('n'))
        .where('kind', '=', 'companion')
        .where('revoked_at', 'is', null)
        .executeTakeFirstOrThrow();

      const count = await services.devices.logoutMany({ allCompanions: true, reason: 'admin' });

      // The 260 accounts seeded here and the 3 bystanders left by the test before.
      expect(count).toBe(Number(before.n));
      expect(count).toBe(263 * COMPANIONS);
      const left = await ctx.db
        .selectFrom('devices')
        .select(['kind'])
        .where('revoked_at', 'is', null)
        .execute();
      expect(left.every((d) => d.kind === 'primary')).toBe(true);
      expect(await activeDevices(ctx, accounts, 'primary')).toBe(260);
      const revokedEvents = ofType('devices.revoked');
      expect(revokedEvents.map((e) => e.deviceIds.length)).toEqual([250 * COMPANIONS, 13 * COMPANIONS]);
      expect(await Promise.all(committedWhenPublished)).toEqual([true, true]);
      expect(await services.devices.logoutMany({ allCompanions: true, reason: 'admin' })).toBe(0);
    });
  });
}
