import fs from 'node:fs';
import path from 'node:path';
import { isRecord } from './frames';

/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): where the server spent its CPU, by function
 * (self time) and by package, optionally only inside a time window (monotonic µs, as the bench logs its
 * phases). Usage: `node --import tsx bench/src/profileSummary.ts <file> [top] [fromUs toUs]`.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

function readProfile(file: string): Profile {
  const profile: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isRecord(profile) || !Array.isArray(profile.nodes) || !Array.isArray(profile.samples)) {
    throw new Error(`${file} is not a CPU profile`);
  }
  const numbers = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
  return {
    nodes: profile.nodes.filter(
      (n): n is ProfileNode => isRecord(n) && typeof n.id === 'number' && isRecord(n.callFrame),
    ),
    startTime: typeof profile.startTime === 'number' ? profile.startTime : 0,
    samples: numbers(profile.samples),
    timeDeltas: numbers(profile.timeDeltas),
  };
}

/** Samples per node id, counting only samples taken inside [fromUs, toUs]. */
function hitsInWindow(profile: Profile, fromUs: number, toUs: number): Map<number, number> {
  const hits = new Map<number, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t >= fromUs && t <= toUs) hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  return hits;
}

/** Which package a script URL belongs to: `ws`, `kysely`, `server/ws`, `(native)`. */
function packageOf(url: string): string {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const src = url.indexOf('/packages/');
  if (src >= 0) {
    const parts = url.slice(src + '/packages/'.length).split('/');
    return `${parts[0]}/${parts.slice(2, -1).join('/') || '.'}`;
  }
  if (url.startsWith('node:')) return url;
  return path.basename(url);
}

export function summarizeProfile(
  file: string,
  top = 25,
  fromUs = 0,
  toUs = Number.POSITIVE_INFINITY,
): string {
  const profile = readProfile(file);
  const hits = hitsInWindow(profile, fromUs, toUs);
  const total = [...hits.values()].reduce((sum, n) => sum + n, 0) || 1;
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const n of profile.nodes) {
    const count = hits.get(n.id) ?? 0;
    if (count === 0) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const key = `${functionName || '(anonymous)'}  ${url ? `${path.basename(url)}:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + count);
    const pkg = packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
  }
  const pct = (hits: number) => `${((hits / total) * 100).toFixed(1).padStart(5)}%`;
  const rows = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${pct(v)}  ${k}`);
  return [
    `${file}: ${total} samples`,
    'self time by function:',
    ...rows(byFunction),
    'by package:',
    ...rows(byPackage),
  ].join('\n');
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const [file, top, from, to] = process.argv.slice(2);
  if (!file) {
    console.error('usage: profileSummary.ts <file.cpuprofile> [top] [fromUs toUs]');
    process.exit(2);
  }
  console.log(
    summarizeProfile(
      file,
      top ? Number(top) : 25,
      from ? Number(from) : 0,
      to ? Number(to) : Number.POSITIVE_INFINITY,
    ),
  );
}
