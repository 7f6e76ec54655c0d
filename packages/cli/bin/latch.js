#!/usr/bin/env node
// The `latch` command runs the compiled CLI (`npm run build` writes it); stack traces point into the
// TypeScript sources through the source maps.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/main.js', import.meta.url);
if (!existsSync(compiled)) {
  console.error('latch: the CLI is not built. Run `npm run build` in the Latch checkout first.');
  process.exit(1);
}
process.setSourceMapsEnabled(true);
await import(compiled.href);
