import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { type OpenedDatabase, openDatabase } from '../store/database';
import { startBackgroundCheckpoints } from './checkpointer';

describe('background WAL checkpoints (SQLite)', () => {
  let opened: OpenedDatabase | undefined;
  let stop = async () => {};
  afterEach(async () => {
    await stop();
    await opened?.close();
  });

  it('STORE-11 a thread of its own checkpoints the log, so the server’s commits never do and the log is reused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-checkpoint-'));
    const file = path.join(dir, 'latch.db');
    opened = await openDatabase(`sqlite://${file}`);
    const { db } = opened;
    // A long interval, so that the first round of writes surely ends before the first checkpoint.
    const interval = 1_500;
    stop = await startBackgroundCheckpoints(db, file, createLogger('silent'), interval);
    await sql`create table filler (id integer primary key, body text not null)`.execute(db);
    const walBytes = () => fs.statSync(`${file}-wal`).size;
    // About 6 MB of log, well past SQLite's default 1,000-page autocheckpoint.
    const write = async () => {
      for (let i = 0; i < 150; i++) {
        await db.transaction().execute(async (trx) => {
          for (let j = 0; j < 10; j++)
            await sql`insert into filler (body) values (${'x'.repeat(4000)})`.execute(trx);
        });
      }
    };
    await write();
    const afterFirst = walBytes();
    // The server's own connection left it alone (it would have checkpointed at ~4 MB).
    expect(afterFirst).toBeGreaterThan(5_000_000);
    await new Promise((r) => setTimeout(r, interval * 2));
    await write();
    // Checkpointed meanwhile by the thread: the second round reused the log from its start.
    expect(walBytes()).toBeLessThan(afterFirst * 1.2);
    const rows = await sql<{ n: number }>`select count(*) as n from filler`.execute(db);
    expect(Number(rows.rows[0]?.n)).toBe(3000);
  });
});
