export { AuditLog } from './audit';
export { type Clock, ManualClock } from './clock';
export { type Config, parseConfig } from './config';
export { createLogger } from './logger';
export { createLatchServer, type LatchServer, openContext } from './server';
export {
  BackupError,
  backupSqlite,
  type DatabaseFileInfo,
  inspectDatabaseFile,
  restoreSqlite,
  sqliteFileOf,
} from './store/backup';
export { SCHEMA_VERSION, SchemaTooNewError } from './store/migrations';
