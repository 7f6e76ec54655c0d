import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/phone/',
  plugins: [react()],
  // The QR decoder worker imports jsqr, so it must be an ES module worker.
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP forbids inline script; keep Vite from injecting its preload polyfill.
    modulePreload: { polyfill: false },
    // Inline assets would become data: URLs in CSS; keep everything as files.
    assetsInlineLimit: 0,
  },
});
