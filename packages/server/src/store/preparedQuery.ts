import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Db } from './database';
import { isPostgresDb } from './dialect';

/** Where each compiled parameter comes from: an argument (its index) or a value fixed in the query. */
type ParameterSource = { arg: number } | { fixed: unknown };

interface Compiled {
  query: CompiledQuery;
  sources: ParameterSource[];
}

/**
 * A hot-path query that Kysely builds and compiles once per dialect and then runs with new values.
 * Building and compiling a query (node trees, freezing, visiting) cost about as much CPU as SQLite
 * took to run these small statements (docs/performance.md), on every message and every handshake.
 *
 * `build` is called once with a stand-in for each argument, so it must pass its arguments to the
 * query as values and never look at them (no `if (arg)`, no arrays for `in`); the stand-ins are
 * checked to come back as parameters, or the first run throws.
 */
export class PreparedQuery<Args extends unknown[], Row> {
  private readonly compiled = new Map<'sqlite' | 'postgres', Compiled>();

  constructor(
    private readonly arity: Args['length'],
    private readonly build: (db: Db, ...args: Args) => Compilable<Row>,
  ) {}

  async execute(db: Db, ...args: Args): Promise<QueryResult<Row>> {
    const { query, sources } = this.compiledFor(db);
    const parameters = sources.map((s) => ('arg' in s ? args[s.arg] : s.fixed));
    return db.executeQuery<Row>({ ...query, parameters });
  }

  async rows(db: Db, ...args: Args): Promise<Row[]> {
    return (await this.execute(db, ...args)).rows;
  }

  async first(db: Db, ...args: Args): Promise<Row | undefined> {
    return (await this.execute(db, ...args)).rows[0];
  }

  private compiledFor(db: Db): Compiled {
    const dialect = isPostgresDb(db) ? 'postgres' : 'sqlite';
    let entry = this.compiled.get(dialect);
    if (!entry) {
      entry = compileWithStandIns(db, this.arity, this.build);
      this.compiled.set(dialect, entry);
    }
    return entry;
  }
}

function compileWithStandIns<Args extends unknown[], Row>(
  db: Db,
  arity: number,
  build: (db: Db, ...args: Args) => Compilable<Row>,
): Compiled {
  const standIns = Array.from({ length: arity }, (_, i) => `\u0000prepared-arg-${i}\u0000`);
  const query = build(db, ...(standIns as Args)).compile();
  const sources = query.parameters.map((p): ParameterSource => {
    const arg = typeof p === 'string' ? standIns.indexOf(p) : -1;
    return arg >= 0 ? { arg } : { fixed: p };
  });
  const used = new Set(sources.flatMap((s) => ('arg' in s ? [s.arg] : [])));
  if (used.size !== arity) {
    throw new Error(`PreparedQuery: every argument must become a parameter (${query.sql})`);
  }
  return { query, sources };
}
