import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Node's `process`, declared here rather than pulling in @types/node for one line.
declare const process: { env: Record<string, string | undefined> };

// The client is built into the Python package; FastAPI serves index.html at `/`
// and the hashed bundles under `/assets/`.
export default defineConfig({
  plugins: [svelte()],
  base: '/',
  build: {
    outDir: '../atiende/static',
    emptyOutDir: true,
    assetsDir: 'assets',
  },
  server: {
    // The refusal catalogues live with the server (atiende/i18n/), one level up.
    fs: { allow: ['..'] },
    proxy: {
      '/api': { target: 'http://127.0.0.1:8000', ws: true },
    },
  },
  // Without the browser condition, mounting a component in jsdom fails with
  // `lifecycle_function_unavailable` (Svelte resolves its server build).
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    // A file that needs no DOM says `// @vitest-environment node` on its first line: building
    // a jsdom per file was 200 s of a 319 s run on a busy machine (~4 s a file).
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test-setup.ts'],
  },
});
