#!/usr/bin/env node
// The `latch` command runs the compiled CLI, which `npm run build` writes to packages/server/dist/cli.js
// (beside the server's dependencies). Stack traces point into the TypeScript sources via source maps.
import { existsSync } from 'node:fs';

const compiled = import.meta.resolve('@latch/server/cli');
if (!existsSync(new URL(compiled))) {
  console.error('latch: the CLI is not built. Run `npm run build` in the Latch checkout first.');
  process.exit(1);
}
process.setSourceMapsEnabled(true);
await import(compiled);
