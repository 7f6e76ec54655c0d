import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * PostgreSQL and Redis for the scale-out tests. `TEST_DATABASE_URL` / `TEST_REDIS_URL` name them
 * (CI sets both); unset, the local defaults are tried. A URL that was set but does not answer fails
 * the run; a default that does not answer only skips those tests, and says so.
 */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

export interface Backend {
  name: 'PostgreSQL' | 'Redis';
  url: string;
  available: boolean;
  /** Why it is not available. */
  reason?: string;
}

const PROBE_TIMEOUT_MS = 2_000;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function probePostgres(): Promise<Backend> {
  const explicit = process.env.TEST_DATABASE_URL;
  const url = explicit || DEFAULT_TEST_DATABASE_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return { name: 'PostgreSQL', url, available: true };
  } catch (err) {
    if (explicit)
      throw new Error(`TEST_DATABASE_URL is set but PostgreSQL at ${url} does not answer: ${message(err)}`);
    return { name: 'PostgreSQL', url, available: false, reason: message(err) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function probeRedis(): Promise<Backend> {
  const explicit = process.env.TEST_REDIS_URL;
  const url = explicit || DEFAULT_TEST_REDIS_URL;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return { name: 'Redis', url, available: true };
  } catch (err) {
    if (explicit)
      throw new Error(`TEST_REDIS_URL is set but Redis at ${url} does not answer: ${message(err)}`);
    return { name: 'Redis', url, available: false, reason: message(err) };
  } finally {
    client.disconnect();
  }
}

/**
 * True when every backend answers. Otherwise prints, loudly, which tests will not run and how to
 * run them, for `describe.runIf(...)`.
 */
export function allAvailable(backends: Backend[], tests: string): boolean {
  const missing = backends.filter((b) => !b.available);
  if (missing.length === 0) return true;
  const why = missing.map((b) => `${b.name} at ${b.url} (${b.reason ?? 'unreachable'})`).join('; ');
  console.warn(
    `\n[NOT RUN] ${tests}: ${why} did not answer. Start it, or set TEST_DATABASE_URL / TEST_REDIS_URL.\n`,
  );
  return false;
}

export interface TestDatabase {
  /** `postgres://…/latch_test_<random>`, for DATABASE_URL. */
  url: string;
  name: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

async function withAdmin<T>(adminUrl: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Databases left by a run that was killed before its cleanup are dropped after this long. */
const STALE_AFTER_S = 3_600;

/**
 * A fresh, empty PostgreSQL database on the test server, named `latch_test_<unix seconds>_<random>`.
 * Creating one also drops stale ones left behind by killed runs.
 */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const nowS = Math.floor(Date.now() / 1000);
  const name = `latch_test_${nowS}_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      "select datname from pg_database where datname ~ '^latch_test_[0-9]+_[0-9a-f]+$'",
    );
    for (const { datname } of rows) {
      const createdS = Number(datname.split('_')[2]);
      if (nowS - createdS > STALE_AFTER_S) await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
    await c.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** A random pub/sub channel, so parallel test files never hear each other's events. */
export function testChannel(): string {
  return `latch:test:${randomBytes(6).toString('hex')}`;
}

/** The Redis URL with a private channel for one test's nodes. */
export function busUrlWithChannel(redisUrl: string, channel = testChannel()): string {
  const u = new URL(redisUrl);
  u.searchParams.set('channel', channel);
  return u.toString();
}

/** A store the tests run on, and how to make a new, empty one (`cleanup` removes it). */
export interface StoreUnderTest {
  kind: 'sqlite' | 'postgres';
  runs: boolean;
  create(): Promise<{ url: string; cleanup: () => Promise<void> }>;
}

/**
 * The stores a suite runs on: an SQLite file in a temp dir always, PostgreSQL when it answers (or
 * failing loudly when `TEST_DATABASE_URL` is set and it does not). `tests` names the suite in the
 * "not run" warning.
 */
export async function storesUnderTest(tests: string): Promise<StoreUnderTest[]> {
  const postgres = await probePostgres();
  return [
    {
      kind: 'sqlite',
      runs: true,
      create: async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-store-'));
        return {
          url: `sqlite://${path.join(dir, 'latch.db')}`,
          cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
        };
      },
    },
    {
      kind: 'postgres',
      runs: allAvailable([postgres], tests),
      create: async () => {
        const db = await createTestDatabase(postgres.url);
        return { url: db.url, cleanup: db.drop };
      },
    },
  ];
}
