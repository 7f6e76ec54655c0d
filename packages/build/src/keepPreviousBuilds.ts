import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

/** Hashed files of earlier builds stay this long after the last build that wrote them. */
export const KEEP_PREVIOUS_BUILDS_MS = 7 * 24 * 60 * 60 * 1000;

const COMPRESSED_COPY = /\.(?:br|gz)$/;

/**
 * Deletes the files in `assetsDir` that are not part of the current build (`current`, file names
 * relative to the output directory) and were last written more than `keepMs` ago. A page loaded
 * before an upgrade asks for its own hashed chunks later (a lazy route); they must still be there.
 */
export async function pruneOldAssets(
  outDir: string,
  assetsDir: string,
  current: ReadonlySet<string>,
  keepMs = KEEP_PREVIOUS_BUILDS_MS,
  now = Date.now(),
): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(path.join(outDir, assetsDir));
  } catch {
    return removed;
  }
  for (const name of names) {
    const relative = `${assetsDir}/${name}`;
    if (current.has(relative.replace(COMPRESSED_COPY, ''))) continue;
    const file = path.join(outDir, assetsDir, name);
    if (now - (await stat(file)).mtimeMs <= keepMs) continue;
    await unlink(file);
    removed.push(relative);
  }
  return removed;
}

/**
 * Vite plugin: builds into the output directory without emptying it, so the hashed files of the
 * builds of the last {@link KEEP_PREVIOUS_BUILDS_MS} stay servable during and after an upgrade;
 * older ones are pruned.
 */
export function keepPreviousBuilds(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'latch:keep-previous-builds',
    apply: 'build',
    config: () => ({ build: { emptyOutDir: false } }),
    configResolved(resolved) {
      config = resolved;
    },
    async writeBundle(_options, bundle) {
      const outDir = path.resolve(config.root, config.build.outDir);
      await pruneOldAssets(outDir, config.build.assetsDir, new Set(Object.keys(bundle)));
    },
  };
}
