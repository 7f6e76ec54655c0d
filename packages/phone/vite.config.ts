// A relative import: Vite bundles it with this config (a workspace package name would be loaded as .ts by Node).

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { latchAppBuild } from '../build/src/index';

export default defineConfig({
  base: '/phone/',
  plugins: [react(), latchAppBuild()],
  // The QR decoder worker imports jsqr, so it must be an ES module worker.
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    // Not emptied: the previous builds' hashed files stay servable (latchAppBuild prunes old ones).
    // The CSP forbids inline script; keep Vite from injecting its preload polyfill.
    modulePreload: { polyfill: false },
    // Inline assets would become data: URLs in CSS; keep everything as files.
    assetsInlineLimit: 0,
  },
});
