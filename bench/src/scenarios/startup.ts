import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { BenchEnv } from '../harness';
import type { Measurement } from '../report';
import { REPO_ROOT, startServer } from '../serverProcess';
import { summarize } from '../stats';

export interface StartupOptions {
  /** How many cold starts to time. */
  readyRuns: number;
}

/** After ready, how long the server sits idle before its memory is read. */
const IDLE_SETTLE_MS = 3_000;

/**
 * Server spawn → /healthz 200 on an empty data directory, the server's resident memory once it has
 * idled a few seconds, and the JS the two apps' first page loads.
 */
export async function runStartup(opts: StartupOptions, env: BenchEnv): Promise<Measurement[]> {
  const readyMs: number[] = [];
  const idleRssMb: number[] = [];
  for (let i = 0; i < opts.readyRuns; i++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-bench-start-'));
    try {
      const server = await startServer({
        dataDir,
        pinCpu: env.pinCpu,
        ...(env.appsDir ? { appsDir: env.appsDir } : {}),
        ...(env.compiled ? { compiled: true } : {}),
      });
      readyMs.push(server.readyMs);
      await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
      idleRssMb.push(server.rssKb() / 1024);
      await server.stop();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const ready = summarize(readyMs);
  const idle = summarize(idleRssMb);
  const how = env.compiled ? 'node on the compiled dist/main.js' : 'tsx compiling the TypeScript sources';
  const appsDir = env.appsDir ?? path.join(REPO_ROOT, 'packages');
  return [
    {
      scenario: 'startup',
      measurement: 'spawn → /healthz 200 (fresh store)',
      params: { runs: opts.readyRuns },
      values: { medianMs: ready.p50, maxMs: ready.max },
      targets: [],
      notes: [`includes node start, ${how}, migrations on an empty SQLite file`],
    },
    {
      scenario: 'startup',
      measurement: `idle RSS ${IDLE_SETTLE_MS / 1000} s after ready`,
      params: { runs: opts.readyRuns, server: env.compiled ? 'compiled' : 'source' },
      values: { medianMb: idle.p50, maxMb: idle.max },
      targets: [],
      notes: [how],
    },
    bundleMeasurement('web QR page', path.join(appsDir, 'web', 'dist'), 150),
    bundleMeasurement('phone app', path.join(appsDir, 'phone', 'dist'), null),
  ];
}

function bundleMeasurement(name: string, dist: string, targetKb: number | null): Measurement {
  const base: Measurement = {
    scenario: 'startup',
    measurement: `${name} JS (gzip)`,
    params: { dist: path.relative(REPO_ROOT, dist) || dist },
    values: {},
    targets: targetKb === null ? [] : [{ metric: 'gzipKb', op: '<=', limit: targetKb }],
    notes: [],
  };
  const index = path.join(dist, 'index.html');
  if (!fs.existsSync(index)) {
    // No number to hold against the target: the report says why instead.
    return { ...base, targets: [], notes: [`skipped: ${index} is missing (run npm run build)`] };
  }
  const files = scriptsLoadedBy(index, dist);
  const raw = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
  const gzip = files.reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(f)).length, 0);
  return {
    ...base,
    values: { files: files.length, rawKb: raw / 1024, gzipKb: gzip / 1024 },
    notes: [`files: ${files.map((f) => path.relative(dist, f)).join(', ')}`],
  };
}

/** The JS files an index.html loads up front: module scripts and modulepreload links, found in dist. */
export function scriptsLoadedBy(indexFile: string, dist: string): string[] {
  const html = fs.readFileSync(indexFile, 'utf8');
  const refs = [
    ...[...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="modulepreload"/g)].map((m) => m[1]!),
  ];
  const files = new Set<string>();
  for (const ref of refs) {
    const file = resolveInDist(ref, dist);
    if (file?.endsWith('.js')) files.add(file);
  }
  return [...files];
}

/** `/phone/assets/x.js` or `./assets/x.js` → the file in dist, whatever base the app was built with. */
function resolveInDist(ref: string, dist: string): string | undefined {
  if (/^[a-z]+:/i.test(ref)) return undefined;
  const parts = ref
    .split('?')[0]!
    .split('/')
    .filter((p) => p && p !== '.');
  for (let skip = 0; skip < parts.length; skip++) {
    const candidate = path.join(dist, ...parts.slice(skip));
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}
