import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The runner's page. Vite's built-in transformer handles TSX (automatic JSX runtime): no Babel.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/auth': 'http://127.0.0.1:3000' } },
});
