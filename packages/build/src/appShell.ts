import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin, ResolvedConfig } from 'vite';

/** The service worker's source: one file, no imports, shared by both apps (`@latch/client`). */
const WORKER_SOURCE = fileURLToPath(new URL('../../client/sw/appShellWorker.ts', import.meta.url));
/** The string in the worker's source that the build replaces with its {@link AppShellManifest}. */
const PLACEHOLDER = /(["'`])__LATCH_APP_SHELL__\1/;
export const SERVICE_WORKER_FILE = 'sw.js';

/** What the service worker precaches; it parses this shape (`AppShellManifest` in appShellWorker.ts). */
export interface AppShellManifest {
  /** Changes with every build that changes any file, so the browser installs the new worker. */
  buildId: string;
  /** Paths relative to the app's base: the built files and the public ones. */
  files: string[];
  /** Path prefixes (absolute) the worker never answers, e.g. the API. */
  passThrough: string[];
}

export interface AppShellOptions {
  /** Absolute path prefixes the worker leaves to the network (always includes `/v1/`). */
  passThrough?: string[];
}

async function listPublic(dir: string, prefix = ''): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.isDirectory()) out.push(...(await listPublic(path.join(dir, e.name), `${prefix}${e.name}/`)));
    else if (e.isFile()) out.push(`${prefix}${e.name}`);
  }
  return out;
}

/**
 * Vite plugin: builds `@latch/client`'s service worker as `sw.js` at the app's base and writes into
 * it the list of files to precache (the app shell), so an offline reload still opens the app.
 */
export function appShell(opts: AppShellOptions = {}): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'latch:app-shell',
    apply: 'build',
    // After Vite's HTML plugin has emitted index.html into the bundle.
    enforce: 'post',
    config: (user) => ({
      build: {
        rolldownOptions: {
          input: { index: path.resolve(user.root ?? process.cwd(), 'index.html'), sw: WORKER_SOURCE },
          output: {
            entryFileNames: (chunk: { name: string }) =>
              chunk.name === 'sw'
                ? SERVICE_WORKER_FILE
                : `${user.build?.assetsDir ?? 'assets'}/[name]-[hash].js`,
          },
        },
      },
    }),
    configResolved(resolved) {
      config = resolved;
    },
    async generateBundle(_options, bundle) {
      const worker = bundle[SERVICE_WORKER_FILE];
      if (worker?.type !== 'chunk') throw new Error(`${SERVICE_WORKER_FILE} was not built`);
      if (worker.imports.length > 0) throw new Error(`${SERVICE_WORKER_FILE} must not import shared chunks`);
      const built = Object.keys(bundle).filter((f) => f !== SERVICE_WORKER_FILE && !f.endsWith('.map'));
      const publicFiles = config.publicDir ? await listPublic(config.publicDir) : [];
      const files = [...new Set(['index.html', ...built, ...publicFiles])].sort();
      const hash = createHash('sha256');
      for (const f of files) hash.update(`${f}\n`);
      const index = bundle['index.html'];
      if (index?.type === 'asset') hash.update(index.source);
      for (const f of publicFiles) hash.update(await readFile(path.join(config.publicDir, f)));
      const manifest: AppShellManifest = {
        buildId: hash.digest('hex').slice(0, 16),
        files,
        passThrough: ['/v1/', ...(opts.passThrough ?? [])],
      };
      if (!PLACEHOLDER.test(worker.code))
        throw new Error(`${SERVICE_WORKER_FILE} has no app-shell placeholder`);
      worker.code = worker.code.replace(PLACEHOLDER, JSON.stringify(JSON.stringify(manifest)));
    },
  };
}
