/**
 * The dashboard's static site and its embeddable element.
 *
 *   vite                 dev server (npm start), cross-origin isolated
 *   vite build           dist/index.html (+ dist/bench.html when bench.html exists) and dist/assets/
 *   vite build --mode lib  dist/spin-transfer-dashboard.js: one ES module, worker inlined,
 *                          that defines <spin-transfer-dashboard>
 *
 * dist/ also holds the Node build (dist/src, dist/bench): nothing here empties it.
 */

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** SharedArrayBuffer (the CPU backend's threads) needs a cross-origin isolated page. */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig(({ mode }) => {
  const pages: Record<string, string> = { index: resolve(root, 'index.html') };
  if (existsSync(resolve(root, 'bench.html'))) pages.bench = resolve(root, 'bench.html');
  return {
    root,
    base: './',
    server: { headers: ISOLATION_HEADERS },
    preview: { headers: ISOLATION_HEADERS },
    // One worker file with everything it loads (gpu.js too): an inlined worker runs from a blob: URL,
    // where a split chunk could not be found.
    worker: { format: 'es' as const, rolldownOptions: { output: { codeSplitting: false } } },
    build:
      mode === 'lib'
        ? {
            outDir: 'dist',
            emptyOutDir: false,
            copyPublicDir: false,
            target: 'es2022',
            chunkSizeWarningLimit: 2048,
            lib: {
              entry: resolve(root, 'src/dashboard/index.ts'),
              formats: ['es' as const],
              fileName: () => 'spin-transfer-dashboard.js',
            },
            rolldownOptions: { output: { codeSplitting: false } },
          }
        : {
            outDir: 'dist',
            emptyOutDir: false,
            target: 'es2022',
            // The compute worker (the whole engine and gpu.js) is inlined: one file, large by design.
            chunkSizeWarningLimit: 2048,
            rolldownOptions: { input: pages },
          },
  };
});
