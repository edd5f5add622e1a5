import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The runner's page. Vite's built-in transformer handles TSX (automatic JSX runtime): no Babel.
export default defineConfig(({ command }) => ({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  // A build is always a production build (React's and the JSX transform's), even when it is started
  // from a test run, where NODE_ENV=test would otherwise give development JSX and a 2× bundle.
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
  oxc: { jsx: { runtime: 'automatic', development: command !== 'build' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/auth': 'http://127.0.0.1:3000' } },
}));
