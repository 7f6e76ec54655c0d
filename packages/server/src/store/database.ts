import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Logger } from 'pino';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

/** Opens the store named by a URL (`sqlite:///path/file.db` or `postgres://…`) and migrates it. */
export async function openDatabase(url: string, log?: Logger): Promise<OpenedDatabase> {
  if (url.startsWith('sqlite://')) return migrate(openSqlite(url.slice('sqlite://'.length)));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { openPostgres } = await import('./postgres');
    return migrate(
      await openPostgres(url, { onIdleError: (err) => log?.warn({ err }, 'PostgreSQL connection lost') }),
    );
  }
  throw new Error('DATABASE_URL must start with sqlite:// or postgres://');
}

function openSqlite(file: string): OpenedDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers run beside the writer; NORMAL sync is durable across process crashes in WAL mode.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

async function migrate(opened: OpenedDatabase): Promise<OpenedDatabase> {
  const { error, results } = await new Migrator({
    db: opened.db,
    provider: migrationProvider,
  }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await opened.close();
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  return opened;
}
