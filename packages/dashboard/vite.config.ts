// Builds the dashboard to dist/ with relative asset URLs, so the platform can serve it under /ui/. No CDN: preact and
// uPlot are bundled.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 400 },
});
