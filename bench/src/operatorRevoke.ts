import { Seeder } from './seed';

/**
 * The operator's side of a mass revocation, as its own process (the way `latch logout` runs beside a
 * server): opens the services on the server's SQLite file and logs out every companion of the given
 * accounts through `DeviceService.logoutMany` (a few hundred accounts per transaction). Prints one
 * JSON {@link OperatorReport} line.
 * Usage: `node --import tsx bench/src/operatorRevoke.ts <dataDir> <accountIdsFile>`.
 */
export interface OperatorReport {
  revoked: number;
  /** Epoch milliseconds, comparable with the bench process's clock. */
  startedAt: number;
  committedAt: number;
}

const epochNow = () => performance.timeOrigin + performance.now();

async function revokeAll(dataDir: string, accountIds: string[]): Promise<OperatorReport> {
  const seeder = await Seeder.open(dataDir);
  try {
    const startedAt = epochNow();
    const revoked = await seeder.logoutCompanionsAsAdmin(accountIds);
    return { revoked, startedAt, committedAt: epochNow() };
  } finally {
    await seeder.close();
  }
}

const [dataDir, idsFile] = process.argv.slice(2);
if (!dataDir || !idsFile) {
  console.error('usage: operatorRevoke.ts <dataDir> <accountIdsFile>');
  process.exit(2);
}
const { readFileSync } = await import('node:fs');
const ids = readFileSync(idsFile, 'utf8').split('\n').filter(Boolean);
console.log(JSON.stringify(await revokeAll(dataDir, ids)));
