import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The browser host's bridge: one classic script (IIFE) that must run before the renderer's module.
export default defineConfig({
  build: {
    outDir: resolve(import.meta.dirname, '../../out/browser-host'),
    emptyOutDir: true,
    lib: {
      entry: resolve(import.meta.dirname, '../../renderer/browser-bridge/bridge-client.ts'),
      formats: ['iife'],
      name: 'MailroomBridge',
      fileName: () => 'bridge.js',
    },
    minify: false,
  },
});
