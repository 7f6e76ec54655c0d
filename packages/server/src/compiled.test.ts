import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { waitUntil } from './testing/testHelpers';

/**
 * What production runs: the JavaScript `npm run build` writes (npm test builds before it tests), run
 * by plain `node` with nothing but the server's own dependencies.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DIST = path.join(ROOT, 'packages/server/dist');
const BUNDLES = ['main.js', 'cli.js'].map((f) => path.join(DIST, f));
const run = promisify(execFile);

function builtOrExplain(): void {
  const missing = BUNDLES.filter((f) => !fs.existsSync(f));
  if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: run \`npm run build\` first.`);
}

/** Bare module names a bundle imports (relative imports were compiled in). */
function importsOf(file: string): Set<string> {
  const text = fs.readFileSync(file, 'utf8');
  const names = [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"([^"./][^"]*)"/g)].map((m) => m[1]!);
  // `@scope/name/sub` and `name/sub` are the package `@scope/name` and `name`.
  return new Set(
    names.map((n) => (n.startsWith('@') ? n.split('/').slice(0, 2) : n.split('/').slice(0, 1)).join('/')),
  );
}

describe('the compiled server and CLI', () => {
  it('OPS-11 the bundles import only Node built-ins and the server package’s runtime dependencies', () => {
    builtOrExplain();
    const manifest = z
      .object({ dependencies: z.record(z.string(), z.string()) })
      .parse(JSON.parse(fs.readFileSync(path.join(ROOT, 'packages/server/package.json'), 'utf8')));
    for (const bundle of BUNDLES) {
      const imports = importsOf(bundle);
      expect(imports.size).toBeGreaterThan(5);
      for (const name of imports) {
        const builtin = name.startsWith('node:') || builtinModules.includes(name);
        expect(builtin || name in manifest.dependencies, `${path.basename(bundle)} imports ${name}`).toBe(
          true,
        );
        // Workspace code is compiled in, never resolved at runtime (its package points at TypeScript).
        expect(name.startsWith('@latch/'), `${path.basename(bundle)} imports ${name}`).toBe(false);
      }
      expect(fs.existsSync(`${bundle}.map`)).toBe(true);
    }
  });

  it('OPS-11 plain `node` serves from the bundle (no tsx), and `latch` runs the compiled CLI', async () => {
    builtOrExplain();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-compiled-'));
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      DATA_DIR: dataDir,
    };
    const child = spawn(process.execPath, ['packages/server/dist/main.js'], {
      cwd: ROOT,
      env: { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitUntil(() => /"port":\d+/.test(output), 30_000);
      const port = /"port":(\d+)/.exec(output)![1];
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      const help = await run(process.execPath, ['packages/cli/bin/latch.js', '--help'], { cwd: ROOT, env });
      expect(help.stdout).toContain('latch backup <file>');
      const migrated = await run(process.execPath, ['packages/cli/bin/latch.js', 'migrate'], {
        cwd: ROOT,
        env: { ...env, LOG_LEVEL: 'silent' },
      });
      expect(migrated.stdout.trim()).toBe('Database is up to date.');
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
