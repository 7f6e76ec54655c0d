import type { OpenedDatabase } from './database';

/** PostgreSQL support arrives with the scale-out work; say so clearly instead of half-working. */
export async function openPostgres(_url: string): Promise<OpenedDatabase> {
  throw new Error('PostgreSQL is not supported by this build yet; leave DATABASE_URL empty to use SQLite.');
}
