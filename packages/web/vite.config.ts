import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The computer client, served by the Latch server at `/` from `dist`. */
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be bundled, not inlined, but no current browser needs it.
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run dev -w @latch/web` against a server started with `npm start` (port 8080).
    proxy: { '/v1': { target: 'http://localhost:8080', ws: true } },
  },
});
