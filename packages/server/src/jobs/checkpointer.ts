import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../store/database';

/**
 * How often the background thread moves the WAL into the database file. Often, so that each
 * checkpoint has little to copy: at 5,000 msgs/s a checkpoint every second made the event loop stall
 * for up to 40 ms once a second (p99 42 ms); every 200 ms, p99 23–25 ms (docs/performance.md).
 */
export const CHECKPOINT_INTERVAL_MS = 200;
/**
 * WAL pages after which the server's own connection would still checkpoint by itself: only if the
 * background thread has stopped working (40 MB of WAL).
 */
const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

/** The thread: its own connection to the same file, a PASSIVE checkpoint every interval. */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage(err instanceof Error ? err.message : String(err));
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints SQLite's write-ahead log on a thread of its own. SQLite otherwise checkpoints inside
 * whichever commit crosses 1,000 WAL pages, and a checkpoint fsyncs the log and the database file:
 * 3–10 ms on this machine's disk during which the event loop (and every message) waited, often
 * enough to set the p99 of message latency (docs/performance.md). A PASSIVE checkpoint never blocks
 * the writer, so the server's connection keeps committing meanwhile. Returns a stop function.
 */
export async function startBackgroundCheckpoints(
  db: Db,
  file: string,
  log: Logger,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): Promise<() => Promise<void>> {
  await sql`pragma wal_autocheckpoint = ${sql.raw(String(FALLBACK_AUTOCHECKPOINT_PAGES))}`.execute(db);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, file, intervalMs },
  });
  worker.unref();
  worker.on('message', (message: unknown) => log.warn({ message }, 'background checkpoint failed'));
  worker.on('error', (err) => log.error({ err }, 'checkpoint thread failed'));
  return async () => {
    if (worker.threadId === -1) return;
    const exited = once(worker, 'exit');
    worker.postMessage('stop');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    await worker.terminate();
  };
}
