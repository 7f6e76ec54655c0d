import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshAccount } from '../repositories/account.repository';
import { allAvailable, createTestDatabase, probePostgres } from '../testing/testBackends';
import { type OpenedDatabase, openDatabase } from './database';
import { PreparedQuery } from './preparedQuery';

const pgBackend = await probePostgres();
const pgRuns = allAvailable([pgBackend], 'prepared queries on PostgreSQL (STORE-10)');

const insertAccount = new PreparedQuery(2, (db, id: string, phone: string) =>
  db
    .insertInto('accounts')
    .values(freshAccount({ id, phone_number: phone, name: 'fixed name', created_at: 1 })),
);
const byPhone = new PreparedQuery(1, (db, phone: string) =>
  db.selectFrom('accounts').select(['id', 'name', 'idle_logout_days']).where('phone_number', '=', phone),
);

const stores = [
  {
    kind: 'sqlite',
    runs: true,
    open: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-prepared-'));
      const opened = await openDatabase(`sqlite://${path.join(dir, 'latch.db')}`);
      return { opened, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    kind: 'postgres',
    runs: pgRuns,
    open: async () => {
      const test = await createTestDatabase(pgBackend.url);
      return { opened: await openDatabase(test.url), cleanup: test.drop };
    },
  },
] as const;

for (const store of stores) {
  describe.runIf(store.runs)(`prepared queries on ${store.kind}`, () => {
    let opened: OpenedDatabase | undefined;
    let cleanup = async () => {};
    afterAll(async () => {
      await opened?.close();
      await cleanup();
    });

    it('STORE-10 a query compiled once runs with each call’s values, keeps the values fixed in it, also in a transaction', async () => {
      ({ opened, cleanup } = await store.open());
      const { db } = opened;
      await insertAccount.execute(db, 'a1', '+15550001001');
      await db.transaction().execute((trx) => insertAccount.execute(trx, 'a2', '+15550001002'));
      expect(await byPhone.first(db, '+15550001002')).toEqual({
        id: 'a2',
        name: 'fixed name',
        idle_logout_days: 30,
      });
      expect((await byPhone.first(db, '+15550001001'))?.id).toBe('a1');
      expect(await byPhone.rows(db, '+15559999999')).toEqual([]);
    });

    it('STORE-10 a builder that drops an argument is refused instead of running with the wrong values', async () => {
      const dropsOne = new PreparedQuery(2, (db, phone: string, _ignored: string) =>
        db.selectFrom('accounts').select('id').where('phone_number', '=', phone),
      );
      await expect(dropsOne.rows(opened!.db, '+15550001001', 'x')).rejects.toThrow(/every argument/);
    });
  });
}
