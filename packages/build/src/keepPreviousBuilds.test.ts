import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEEP_PREVIOUS_BUILDS_MS, pruneOldAssets } from './keepPreviousBuilds';

describe('pruneOldAssets', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function write(dir: string, name: string, ageMs: number, now: number): void {
    const file = path.join(dir, 'assets', name);
    fs.writeFileSync(file, name);
    const at = new Date(now - ageMs);
    fs.utimesSync(file, at, at);
  }

  it('ASSET-3 keeps the current build and recent builds’ hashed files; prunes older ones with their .br/.gz', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-prune-'));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'assets'));
    const now = Date.now();
    const old = KEEP_PREVIOUS_BUILDS_MS + 60_000;
    write(dir, 'index-new.js', old, now); // part of this build, whatever its age
    write(dir, 'index-new.js.br', old, now);
    write(dir, 'index-prev.js', 60 * 60_000, now); // the build before: an hour ago
    write(dir, 'index-prev.js.gz', 60 * 60_000, now);
    write(dir, 'index-ancient.js', old, now);
    write(dir, 'index-ancient.js.br', old, now);
    write(dir, 'index-ancient.js.gz', old, now);
    const removed = await pruneOldAssets(
      dir,
      'assets',
      new Set(['assets/index-new.js', 'index.html']),
      undefined,
      now,
    );
    expect(removed.sort()).toEqual([
      'assets/index-ancient.js',
      'assets/index-ancient.js.br',
      'assets/index-ancient.js.gz',
    ]);
    expect(fs.readdirSync(path.join(dir, 'assets')).sort()).toEqual([
      'index-new.js',
      'index-new.js.br',
      'index-prev.js',
      'index-prev.js.gz',
    ]);
  });
});
