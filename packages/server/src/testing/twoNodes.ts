import { busUrlWithChannel, createTestDatabase, type TestDatabase } from './testBackends';
import { startTestServer, type TestServer } from './testServer';

/** Two Latch nodes that share nothing but a fresh PostgreSQL database and a Redis channel. */
export interface TwoNodes {
  a: TestServer;
  b: TestServer;
  database: TestDatabase;
  /** Closes both nodes and drops the database; throws the first failure to close. */
  close(): Promise<void>;
}

export async function startTwoNodes(postgresUrl: string, redisUrl: string): Promise<TwoNodes> {
  const database = await createTestDatabase(postgresUrl);
  const env = { DATABASE_URL: database.url, BUS_URL: busUrlWithChannel(redisUrl) };
  // Both start at once on the empty database: migrations must not trip over each other.
  const [a, b] = await Promise.all([startTestServer({ env }), startTestServer({ env })]);
  return {
    a,
    b,
    database,
    async close() {
      const closed = await Promise.allSettled([a.close(), b.close()]);
      await database.drop();
      for (const c of closed) if (c.status === 'rejected') throw c.reason;
    },
  };
}
