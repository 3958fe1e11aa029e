import { defineConfig } from 'tsup';

// Browser-friendly: platform 'neutral' fails the build on any Node built-in, and @openrun/core stays external
// (a dependency, resolved by the app's bundler).
export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  clean: true,
  sourcemap: true,
  treeshake: true,
});
