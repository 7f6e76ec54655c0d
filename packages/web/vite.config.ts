// A relative import: Vite bundles it with this config (a workspace package name would be loaded as .ts by Node).

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { latchAppBuild } from '../build/src/index';

/** The computer client, served by the Latch server at `/` from `dist`. */
export default defineConfig({
  base: '/',
  plugins: [react(), latchAppBuild({ passThrough: ['/phone/'] })],
  build: {
    outDir: 'dist',
    // Not emptied: the previous builds' hashed files stay servable (latchAppBuild prunes old ones).
    target: 'es2022',
    // The polyfill would be bundled, not inlined, but no current browser needs it.
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run dev -w @latch/web` against a server started with `npm start` (port 8080).
    proxy: { '/v1': { target: 'http://localhost:8080', ws: true } },
  },
});
