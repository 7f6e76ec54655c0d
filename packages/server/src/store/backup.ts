import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { z } from 'zod';
import { checkSchemaKnown } from './migrations';

/** A backup or restore that cannot go ahead; the message says why and what to do. */
export class BackupError extends Error {
  override readonly name = 'BackupError';
}

/** What `latch backup` and `latch restore` report about a database file. */
export interface DatabaseFileInfo {
  /** The last migration the file has applied: its schema version. */
  schemaVersion: string;
  accounts: number;
  messages: number;
  bytes: number;
}

/** Tables every Latch database has had since its first release. */
const LATCH_TABLES = ['kysely_migration', 'accounts', 'devices', 'chats', 'messages', 'security_events'];

/**
 * Pages per backup step. Copying every page in one step reads one snapshot (one read transaction):
 * everything committed before the step began, and nothing half-written. In WAL mode that read never
 * blocks the server's writers. Small steps would let the server commit between them, and SQLite then
 * restarts the copy from the first page: under steady traffic it might never finish.
 */
const ALL_PAGES = 0x7fffffff;

const Names = z.array(z.string());
const Count = z.number().int().nonnegative();

/** The SQLite file a `sqlite://` DATABASE_URL names; refuses PostgreSQL with the recipe to use instead. */
export function sqliteFileOf(databaseUrl: string): string {
  if (databaseUrl.startsWith('sqlite://')) return databaseUrl.slice('sqlite://'.length);
  throw new BackupError(
    'latch backup and restore work on the SQLite store. For PostgreSQL use pg_dump and pg_restore, ' +
      'or WAL archiving for point-in-time recovery (docs/deploy.md, "Backups").',
  );
}

/**
 * Checks that `file` is an intact Latch database whose schema this release knows, without writing
 * to it. Throws {@link BackupError} (or SchemaTooNewError) otherwise.
 */
export function inspectDatabaseFile(file: string): DatabaseFileInfo {
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist.`);
  const db = openExisting(file, { readonly: true });
  try {
    return describe(db, file, { checkPages: true });
  } finally {
    db.close();
  }
}

/**
 * `latch backup`: a consistent copy of the live SQLite store, taken with SQLite's online backup API
 * while Latch keeps serving. It holds every message acknowledged before it began. Written beside
 * `dest` first and renamed when complete and checked, so `dest` is never a partial file.
 */
export async function backupSqlite(
  source: string,
  dest: string,
): Promise<DatabaseFileInfo & { takenAt: number }> {
  if (fs.existsSync(dest)) throw new BackupError(`${dest} already exists. Choose a new file name.`);
  if (!fs.existsSync(source)) throw new BackupError(`There is no database at ${source} (check DATA_DIR).`);
  const db = openExisting(source, { readonly: false });
  const partial = `${dest}.partial-${process.pid}`;
  let takenAt = 0;
  try {
    // The live store is checked for what it is; its copy is checked page by page below.
    describe(db, source, { checkPages: false });
    // The snapshot is read after this moment: everything committed before it is in the copy.
    takenAt = Date.now();
    await db.backup(partial, { progress: () => ALL_PAGES });
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
  try {
    // The copy is a file of its own: no -wal beside it to forget when moving it around.
    const copy = new SQLite(partial);
    copy.pragma('journal_mode = DELETE');
    copy.close();
    const info = inspectDatabaseFile(partial);
    fs.renameSync(partial, dest);
    return { ...info, takenAt };
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
}

/**
 * `latch restore`: puts a backup in place as the store of an empty data directory. Refuses a data
 * directory that holds anything (restoring over a live store would lose what is there), a file that
 * is not an intact Latch database, and a schema newer than this release. The server migrates an
 * older schema forward when it starts.
 */
export async function restoreSqlite(backupFile: string, target: string): Promise<DatabaseFileInfo> {
  const info = inspectDatabaseFile(backupFile);
  const dir = path.dirname(target);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw new BackupError(
      `${dir} is not empty. Restore into an empty data directory (a new DATA_DIR), then point Latch at it.`,
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  const db = openExisting(backupFile, { readonly: true });
  try {
    await db.backup(partial, { progress: () => ALL_PAGES });
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
  fs.renameSync(partial, target);
  return info;
}

function openExisting(file: string, opts: { readonly: boolean }): SQLite.Database {
  try {
    const db = new SQLite(file, { readonly: opts.readonly, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (err) {
    throw new BackupError(`Cannot open ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Latch tables present, schema known, pages intact (when asked); then what it holds. */
function describe(db: SQLite.Database, file: string, opts: { checkPages: boolean }): DatabaseFileInfo {
  let tables: string[];
  try {
    tables = Names.parse(db.prepare("select name from sqlite_master where type = 'table'").pluck().all());
  } catch (err) {
    throw new BackupError(`${file} is not an SQLite database: ${err instanceof Error ? err.message : err}`);
  }
  const missing = LATCH_TABLES.filter((t) => !tables.includes(t));
  if (missing.length > 0) {
    throw new BackupError(`${file} is not a Latch database (it has no ${missing.join(', ')} table).`);
  }
  const migrations = Names.parse(db.prepare('select name from kysely_migration order by name').pluck().all());
  checkSchemaKnown(migrations);
  if (opts.checkPages) {
    const check = Names.parse(db.prepare('pragma quick_check').pluck().all());
    if (check.join() !== 'ok') throw new BackupError(`${file} is damaged: ${check.slice(0, 5).join('; ')}`);
  }
  const count = (table: string) => Count.parse(db.prepare(`select count(*) from ${table}`).pluck().get());
  return {
    schemaVersion: migrations.at(-1) ?? '(none)',
    accounts: count('accounts'),
    messages: count('messages'),
    bytes: fs.statSync(file).size,
  };
}
