#!/usr/bin/env node
// Compiles the server and the CLI to plain JavaScript (with source maps) so that production runs
// `node` on built files: no TypeScript compiler in memory, no dev dependencies at runtime.
//
// Each entry point is bundled with the Latch workspace packages it imports (@latch/protocol,
// @latch/server), which therefore need no build of their own and no runtime resolution. Every npm
// package stays an import, resolved from node_modules at runtime: native modules (better-sqlite3,
// @node-rs/argon2) cannot be bundled, and the others are installed by `npm ci --omit=dev` anyway.
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');

/** Bare imports stay imports, except the workspace packages, which are compiled in. */
const externalNpmPackages = {
  name: 'external-npm-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@latch/') ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * Both land in packages/server/dist: at the same depth as the sources (src/main.ts → dist/main.js), so
 * paths relative to them hold, and where Node finds the server's dependencies (npm may install one
 * under packages/server/node_modules rather than the root, as it does better-sqlite3). The `latch`
 * bin (packages/cli/bin/latch.js) runs dist/cli.js through the `@latch/server/cli` export.
 */
const entries = [
  ['packages/server/src/main.ts', 'packages/server/dist/main.js'],
  ['packages/cli/src/main.ts', 'packages/server/dist/cli.js'],
];

await Promise.all(
  entries.map(([entry, outfile]) =>
    build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      sourcemap: true,
      // Source maps point into the repository's src/ files, for stack traces with --enable-source-maps.
      sourcesContent: false,
      plugins: [externalNpmPackages],
      logLevel: 'warning',
    }),
  ),
);
console.log(`built ${entries.map(([, out]) => out).join(', ')}`);
