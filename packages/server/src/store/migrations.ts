import { type Kysely, type Migration, type MigrationProvider, type QueryExecutorProvider, sql } from 'kysely';

/**
 * Versioned migrations, the same for SQLite and PostgreSQL. Each is applied once, in name order,
 * at start; never edit one that has shipped: add another.
 */
function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      // Millisecond timestamps need 64 bits: SQLite's integer is; PostgreSQL's is not.
      const ts = sql.raw(isPostgres(db) ? 'bigint' : 'integer');
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('phone_number', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('pin_hash', 'text')
        .addColumn('idle_logout_days', 'integer', (c) => c.notNull().defaultTo(30))
        .execute();
      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('browser', 'text', (c) => c.notNull())
        .addColumn('os', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text')
        .addColumn('claim_hash', 'text', (c) => c.unique())
        .addColumn('claim_expires_at', ts)
        .addColumn('link_id', 'text')
        .addColumn('keep_signed_in', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('last_active_at', ts, (c) => c.notNull())
        .addColumn('online_until', ts, (c) => c.notNull().defaultTo(0))
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('revoked_at', ts)
        .addColumn('revoked_reason', 'text')
        .addColumn('wiped_at', ts)
        .execute();
      await db.schema
        .createIndex('devices_account')
        .on('devices')
        .columns(['account_id', 'revoked_at'])
        .execute();
      await db.schema
        .createTable('verification_codes')
        .addColumn('phone_number', 'text', (c) => c.primaryKey())
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('expires_at', ts, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('sent_at', ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('window_start', ts, (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('lockouts', 'integer', (c) => c.notNull())
        .addColumn('locked_until', ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('link_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('keep_signed_in', 'integer', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('browser', 'text', (c) => c.notNull())
        .addColumn('os', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text')
        .addColumn('code_hash', 'text', (c) => c.unique())
        .addColumn('code_account_id', 'text')
        .addColumn('code_issued_at', ts)
        .addColumn('code_expires_at', ts)
        .execute();
      await db.schema
        .createTable('link_refs')
        .addColumn('ref_hash', 'text', (c) => c.primaryKey())
        .addColumn('link_id', 'text', (c) => c.notNull())
        .addColumn('issued_at', ts, (c) => c.notNull())
        .addColumn('expires_at', ts, (c) => c.notNull())
        .addColumn('used_at', ts)
        .execute();
      await db.schema.createIndex('link_refs_link').on('link_refs').column('link_id').execute();
      await db.schema
        .createTable('security_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('device_id', 'text')
        .addColumn('device_name', 'text')
        .addColumn('reason', 'text')
        .addColumn('ip', 'text')
        .execute();
      await db.schema
        .createIndex('security_events_account')
        .on('security_events')
        .columns(['account_id', 'at'])
        .execute();
      await db.schema
        .createTable('chats')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('direct_key', 'text', (c) => c.unique())
        .addColumn('last_seq', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('chat_members')
        .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id'))
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('admin', 'integer', (c) => c.notNull())
        .addColumn('read_seq', 'integer', (c) => c.notNull())
        .addColumn('delivered_seq', 'integer', (c) => c.notNull())
        .addColumn('joined_at', ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('chat_members_pk', ['chat_id', 'account_id'])
        .execute();
      await db.schema.createIndex('chat_members_account').on('chat_members').column('account_id').execute();
      const serial = isPostgres(db) ? 'bigserial' : 'integer';
      await db.schema
        .createTable('messages')
        .addColumn('sync_id', sql.raw(serial), (c) =>
          serial === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('sender_account_id', 'text', (c) => c.notNull())
        .addColumn('sender_device_id', 'text', (c) => c.notNull())
        .addColumn('client_msg_id', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('sent_at', ts, (c) => c.notNull())
        .addUniqueConstraint('messages_chat_seq', ['chat_id', 'seq'])
        .addUniqueConstraint('messages_idempotency', ['sender_device_id', 'client_msg_id'])
        .execute();
    },
  },
};

migrations['0002_two_step_and_reminders'] = {
  async up(db: Kysely<unknown>) {
    const ts = sql.raw(isPostgres(db) ? 'bigint' : 'integer');
    const add = (column: string, type: 'text' | typeof ts) =>
      db.schema.alterTable('accounts').addColumn(column, type).execute();
    await add('pin_set_at', ts);
    await add('pin_last_used_at', ts);
    await add('recovery_email', 'text');
    await add('pin_reset_token_hash', 'text');
    await add('pin_reset_expires_at', ts);
    /** Forgotten PIN without a recovery email: re-registration opens at this time. */
    await add('pin_reset_available_at', ts);
    await add('pin_reminder_at', ts);
    await add('devices_reviewed_at', ts);
  },
};

/**
 * Every node's revocation sweep asks for devices revoked since a moment, ten times a second. Without this
 * index that was a scan of the whole devices table (2.4 ms at 12.5k devices, growing with N).
 */
migrations['0003_devices_revoked_at'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('devices_revoked_at').on('devices').column('revoked_at').execute();
  },
};

/**
 * LNK-14/16: a link attempt remembers which phone is deciding on it (and through which ref), and,
 * when that phone is on another network, the number the computer shows and the choices offered.
 */
migrations['0004_link_preview_binding'] = {
  async up(db: Kysely<unknown>) {
    const add = (column: string, type: 'text' | 'integer') =>
      db.schema.alterTable('link_sessions').addColumn(column, type).execute();
    await add('previewed_by', 'text');
    await add('previewed_ref_hash', 'text');
    await add('match_number', 'integer');
    await add('match_choices', 'text');
  },
};

/** SEC-4: the logged-out secret's hash, so only its holder is told why it was logged out. */
migrations['0005_devices_revoked_token_hash'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('devices').addColumn('revoked_token_hash', 'text').execute();
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/**
 * The migrations this release knows, in the order they run (Kysely sorts by name). The last one names
 * the schema version; a backup or a store is "known" when every migration it applied is listed here.
 */
export const KNOWN_MIGRATIONS: readonly string[] = Object.keys(migrations).sort();
export const SCHEMA_VERSION: string = KNOWN_MIGRATIONS.at(-1) ?? '';

/** Kysely's bookkeeping table: one row per applied migration. */
const MIGRATION_TABLE = 'kysely_migration';

/** The migrations a store has applied, in order (none for a new store). */
export async function appliedMigrations(
  db: QueryExecutorProvider,
  dialect: 'sqlite' | 'postgres',
): Promise<string[]> {
  const exists =
    dialect === 'sqlite'
      ? sql<{
          t: string | null;
        }>`select name as t from sqlite_master where type = 'table' and name = ${MIGRATION_TABLE}`
      : sql<{ t: string | null }>`select to_regclass(${MIGRATION_TABLE})::text as t`;
  const found = await exists.execute(db);
  if (!found.rows[0]?.t) return [];
  const rows = await sql<{
    name: string;
  }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** A store migrated by a later release: this one must not run on it. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly storeVersion: string,
    readonly unknown: string[],
  ) {
    super(
      `The database schema is at version ${storeVersion}, newer than this Latch release knows ` +
        `(${SCHEMA_VERSION}; it does not know ${unknown.join(', ')}). A later release migrated it. ` +
        'Run that release (or a newer one), or restore a backup taken before the upgrade.',
    );
    this.name = 'SchemaTooNewError';
  }
}

/** Throws {@link SchemaTooNewError} when `applied` holds a migration this release does not know. */
export function checkSchemaKnown(applied: readonly string[]): void {
  const unknown = applied.filter((name) => !KNOWN_MIGRATIONS.includes(name));
  if (unknown.length > 0) throw new SchemaTooNewError(applied.at(-1) ?? unknown.at(-1) ?? '', unknown);
}

/** Checked at every start, before migrating: migrations only go forward, and never past what we know. */
export async function assertSchemaKnown(
  db: QueryExecutorProvider,
  dialect: 'sqlite' | 'postgres',
): Promise<void> {
  checkSchemaKnown(await appliedMigrations(db, dialect));
}
