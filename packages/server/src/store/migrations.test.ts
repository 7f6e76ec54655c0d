import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { storesUnderTest } from '../testing/testBackends';
import { openDatabase } from './database';
import { appliedMigrations, KNOWN_MIGRATIONS, SCHEMA_VERSION, SchemaTooNewError } from './migrations';

const stores = await storesUnderTest('OPS-9 on PostgreSQL (store/migrations.test.ts)');

const FUTURE = '9000_from_a_later_release';

for (const store of stores) {
  describe.runIf(store.runs)(`schema versions on ${store.kind}`, () => {
    it('OPS-9 migrations only go forward: a store migrated by a later release is refused, naming both versions', async () => {
      const { url, cleanup } = await store.create();
      try {
        const first = await openDatabase(url);
        expect(await appliedMigrations(first.db, first.dialect)).toEqual(KNOWN_MIGRATIONS);
        // A later release's node migrated the store (and its own node keeps running on it).
        await sql`insert into kysely_migration (name, timestamp) values (${FUTURE}, ${new Date().toISOString()})`.execute(
          first.db,
        );
        await first.close();

        const refused = await openDatabase(url).then(
          () => null,
          (err: unknown) => err,
        );
        expect(refused).toBeInstanceOf(SchemaTooNewError);
        const message = refused instanceof Error ? refused.message : '';
        expect(message).toContain(`schema is at version ${FUTURE}`);
        expect(message).toContain(`this Latch release knows (${SCHEMA_VERSION}`);
      } finally {
        await cleanup();
      }
    });
  });
}
