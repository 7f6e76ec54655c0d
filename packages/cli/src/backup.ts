import path from 'node:path';
import { backupSqlite, type Config, type DatabaseFileInfo, restoreSqlite, sqliteFileOf } from '@latch/server';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const summary = (i: DatabaseFileInfo) =>
  `schema ${i.schemaVersion}, ${i.accounts} accounts, ${i.messages} messages, ${mb(i.bytes)}`;

/** `latch backup <file>`: an online copy of the running server's SQLite store. */
export async function runBackup(
  config: Config,
  file: string,
): Promise<{ info: DatabaseFileInfo; line: string }> {
  const dest = path.resolve(file);
  const info = await backupSqlite(sqliteFileOf(config.databaseUrl), dest);
  const asOf = new Date(info.takenAt).toISOString();
  return { info, line: `Backed up to ${dest} as of ${asOf} (${summary(info)}).` };
}

/** `latch restore <file>`: the backup becomes the store of an empty data directory. */
export async function runRestore(
  config: Config,
  file: string,
): Promise<{ info: DatabaseFileInfo; line: string }> {
  const target = sqliteFileOf(config.databaseUrl);
  const info = await restoreSqlite(path.resolve(file), target);
  return {
    info,
    line: `Restored ${path.resolve(file)} into ${path.dirname(target)} (${summary(info)}). Start Latch on it.`,
  };
}
