import { loadAverage } from './machine';
import { median, round } from './stats';

/** A goal a value must meet, e.g. p99 ≤ 50 ms. */
export interface Target {
  metric: string;
  op: '<=' | '>=';
  limit: number;
}

/** What a scenario measured: parameters, values (ms, KiB, counts, per second) and the targets they face. */
export interface Measurement {
  scenario: string;
  measurement: string;
  params: Record<string, number | string | boolean>;
  values: Record<string, number | null>;
  targets: Target[];
  notes: string[];
}

/** A measurement as printed: with the time and the machine's load average at the start and end of the run. */
export interface Recorded extends Measurement {
  at: string;
  loadBefore: [number, number, number];
  loadAfter: [number, number, number];
  /** Per target metric: met, missed, or null when the value is missing. */
  met: Record<string, boolean | null>;
}

export function checkTarget(t: Target, value: number | null | undefined): boolean | null {
  if (value === null || value === undefined) return null;
  return t.op === '<=' ? value <= t.limit : value >= t.limit;
}

export function recordAll(measurements: Measurement[], loadBefore: [number, number, number]): Recorded[] {
  const loadAfter = loadAverage();
  const at = new Date().toISOString();
  return measurements.map((m) => ({
    ...m,
    values: Object.fromEntries(Object.entries(m.values).map(([k, v]) => [k, round(v)])),
    at,
    loadBefore,
    loadAfter,
    met: Object.fromEntries(m.targets.map((t) => [t.metric, checkTarget(t, m.values[t.metric])])),
  }));
}

/** One JSON object per line, for scripts. */
export function jsonLine(r: Recorded): string {
  return JSON.stringify(r);
}

/** Per measurement: every value, and for targeted ones the target and whether it was met. */
export function table(records: Recorded[]): string {
  const lines: string[] = [];
  for (const r of records) {
    const params = Object.entries(r.params)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    lines.push('');
    lines.push(
      `${r.scenario} / ${r.measurement}  (${params})  load ${r.loadBefore.join(' ')} → ${r.loadAfter.join(' ')}`,
    );
    const rows = Object.entries(r.values).map(([metric, value]) => {
      const target = r.targets.find((t) => t.metric === metric);
      const met = r.met[metric];
      const verdict = target
        ? `${target.op} ${target.limit}  ${met === null ? '?' : met ? 'met' : 'MISSED'}`
        : '';
      return [metric, value === null ? '-' : String(value), verdict];
    });
    const w0 = Math.max(6, ...rows.map((row) => row[0]!.length));
    const w1 = Math.max(5, ...rows.map((row) => row[1]!.length));
    for (const [metric, value, verdict] of rows) {
      lines.push(`  ${metric!.padEnd(w0)}  ${value!.padStart(w1)}  ${verdict}`);
    }
    for (const note of r.notes) lines.push(`  note: ${note}`);
  }
  return lines.join('\n');
}

/** The median of each value over repeated runs of the same measurement (load: the highest seen). */
export function medianOfRuns(runs: Recorded[]): Recorded {
  const first = runs[0];
  if (!first) throw new Error('No runs to take the median of');
  const values: Record<string, number | null> = {};
  for (const key of Object.keys(first.values)) {
    const seen = runs.map((r) => r.values[key]).filter((v): v is number => typeof v === 'number');
    values[key] = seen.length ? round(median(seen)) : null;
  }
  const worst = (pick: (r: Recorded) => [number, number, number]) =>
    runs.map(pick).reduce((a, b) => (b[0] > a[0] ? b : a));
  return {
    ...first,
    measurement: `${first.measurement} (median of ${runs.length})`,
    values,
    loadBefore: worst((r) => r.loadBefore),
    loadAfter: worst((r) => r.loadAfter),
    met: Object.fromEntries(first.targets.map((t) => [t.metric, checkTarget(t, values[t.metric])])),
    notes: [...new Set(runs.flatMap((r) => r.notes))],
  };
}
