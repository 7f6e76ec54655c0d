import type { LogEvent } from 'kysely';

export interface StoreOptions {
  /** Told how long each query took, in milliseconds (the store latency metric). */
  onQuery?: (milliseconds: number) => void;
}

/** Kysely's query log, used only for timing: nothing of the query (SQL or values) is kept. */
export function queryTimer(opts: StoreOptions): ((event: LogEvent) => void) | undefined {
  const onQuery = opts.onQuery;
  return onQuery ? (event) => onQuery(event.queryDurationMillis) : undefined;
}
