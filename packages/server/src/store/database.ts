import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  Migrator,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
} from 'kysely';
import type { Logger } from 'pino';
import { assertSchemaKnown, migrationProvider } from './migrations';
import { queryTimer, type StoreOptions } from './queryTimer';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

/** Opens the store named by a URL (`sqlite:///path/file.db` or `postgres://…`) and migrates it. */
export async function openDatabase(
  url: string,
  log?: Logger,
  opts: StoreOptions = {},
): Promise<OpenedDatabase> {
  if (url.startsWith('sqlite://')) return migrate(openSqlite(url.slice('sqlite://'.length), opts));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { openPostgres } = await import('./postgres');
    return migrate(
      await openPostgres(url, {
        ...opts,
        onIdleError: (err) => log?.warn({ err }, 'PostgreSQL connection lost'),
      }),
    );
  }
  throw new Error('DATABASE_URL must start with sqlite:// or postgres://');
}

function openSqlite(file: string, opts: StoreOptions = {}): OpenedDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers run beside the writer; NORMAL sync is durable across process crashes in WAL mode.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const log = queryTimer(opts);
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
    ...(log ? { log } : {}),
  });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * Transactions start with BEGIN IMMEDIATE. With Kysely's plain BEGIN, a transaction that read first and
 * wrote later failed at once with SQLITE_BUSY_SNAPSHOT ("database is locked", busy_timeout does not
 * apply) whenever another process (`latch logout`, another node) had committed in between. IMMEDIATE
 * takes the write lock up front, so it waits out busy_timeout instead. Every transaction here writes.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

/** Distinct SQL texts kept prepared; `in (?, ?, …)` lists make new texts, so the cache is bounded. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew, which cost about a fifth of the server's CPU under
 * load (docs/performance.md). Queries come from a few hundred distinct SQL texts, so reuse the prepared
 * statements. Safe: Kysely runs one query at a time on the single connection, and SQLite re-prepares a
 * statement by itself if the schema changes.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value ?? '');
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

async function migrate(opened: OpenedDatabase): Promise<OpenedDatabase> {
  try {
    await assertSchemaKnown(opened.db, opened.dialect);
  } catch (err) {
    await opened.close();
    throw err;
  }
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

/** Resolves once the store has answered a trivial query (/readyz). */
export async function storeReachable(db: Db): Promise<boolean> {
  await sql`select 1`.execute(db);
  return true;
}
