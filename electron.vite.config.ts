import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// main and preload are bundled as CommonJS for Electron; the renderer is a plain web bundle
// so the same build also runs in Chromium through the browser host.
export default defineConfig({
  main: {
    build: {
      // electron-store and conf are ESM-only: bundle them so the CommonJS main needs no require(esm).
      externalizeDeps: { exclude: ['electron-store', 'conf'] },
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      // electron-vite leaves bundles unminified; the renderer is also served to browsers (and its size
      // is what a window waits for), so minify it.
      minify: true,
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
