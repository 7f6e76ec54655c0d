import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { OpenedDatabase } from './database';
import { queryTimer, type StoreOptions } from './queryTimer';
import type { Database } from './schema';

/**
 * Connections per node. Every query outside a transaction borrows one for its duration; a
 * transaction holds one until it commits. PostgreSQL's default `max_connections` (100) leaves room
 * for several nodes plus `latch` admin commands and backups.
 */
export const POOL_MAX = 10;
/** Fail a request instead of queueing forever when the pool cannot get a connection. */
const CONNECT_TIMEOUT_MS = 10_000;
/** Give back connections that sat idle this long (PostgreSQL keeps a process per connection). */
const IDLE_TIMEOUT_MS = 30_000;

const INT8_OID = 20;

/**
 * BIGINT columns hold millisecond timestamps and sync ids, which fit in 2^53 for a few hundred
 * thousand years; `pg` returns them as strings by default. Parse them to numbers, and refuse a value
 * that would silently lose precision rather than corrupt an id or a cursor.
 */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`BIGINT ${text} does not fit in a JavaScript number`);
  return n;
}

/**
 * Per-pool type parsers (not `pg.types.setTypeParser`, which would change every `pg` user in the
 * process, e.g. the test helper that creates databases).
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format),
};

export interface PostgresOptions extends StoreOptions {
  /** Called when an idle pooled connection breaks (PostgreSQL restarted, network cut). */
  onIdleError?: (err: Error) => void;
}

/** Opens a pooled PostgreSQL store for `postgres://user:pass@host:port/db?sslmode=require` URLs. */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<OpenedDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_MAX,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    types,
  });
  // Without a listener, an idle connection dropped by the server would crash the process. The pool
  // discards that connection and opens a new one for the next query, so logging is enough.
  pool.on('error', (err) => opts.onIdleError?.(err));
  // Connect once now so a wrong URL or a stopped server fails at start with a clear message.
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end();
    throw new Error(
      `Cannot connect to PostgreSQL at ${redactUrl(url)}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const log = queryTimer(opts);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
  // destroy() ends the pool: it waits for borrowed connections to come back, then closes them all.
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** The URL without its password, for error messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}
