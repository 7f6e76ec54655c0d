import { type Kysely, PostgresAdapter } from 'kysely';

/**
 * True when `db` (or a transaction on it) talks to PostgreSQL. Repositories use it for the few
 * statements that differ: row locks that SQLite does not need because it has a single writer.
 */
export function isPostgresDb<DB>(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
