import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plugin, ResolvedConfig } from 'vite';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Text formats worth compressing; images other than SVG are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt)$/;
/** Below this a compressed copy saves less than the headers it costs. */
export const PRECOMPRESS_MIN_BYTES = 1024;

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

async function isFresh(copy: string, sourceMtimeMs: number): Promise<boolean> {
  try {
    return (await stat(copy)).mtimeMs >= sourceMtimeMs;
  } catch {
    return false;
  }
}

/**
 * Writes `file.br` (brotli, best quality) and `file.gz` (gzip -9) beside every compressible file of
 * `dir` that lacks an up-to-date copy. The server picks one by the request's Accept-Encoding, so
 * nothing is compressed per request.
 */
export async function precompressDir(dir: string): Promise<number> {
  let written = 0;
  for await (const file of filesUnder(dir)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const info = await stat(file);
    if (info.size < PRECOMPRESS_MIN_BYTES) continue;
    if ((await isFresh(`${file}.br`, info.mtimeMs)) && (await isFresh(`${file}.gz`, info.mtimeMs))) continue;
    const data = await readFile(file);
    const br = await brotli(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    });
    await writeFile(`${file}.br`, br);
    await writeFile(`${file}.gz`, await gzip(data, { level: 9 }));
    written += 1;
  }
  return written;
}

/** Vite plugin: pre-compresses the whole output directory once the build is written. */
export function precompress(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'latch:precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(resolved) {
      config = resolved;
    },
    async closeBundle() {
      await precompressDir(path.resolve(config.root, config.build.outDir));
    },
  };
}
