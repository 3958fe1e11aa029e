// Builds the two CommonJS files: the plugin (Taro loads plugins with require(), which ignores `exports`) and the
// Jest entry (Jest does not load ES modules from node_modules). Everything else is tsc's ESM output.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', sourcemap: true };

await build({
  ...common,
  entryPoints: ['src/plugin.ts'],
  outfile: 'dist/plugin.cjs',
  // createRequire(import.meta.url) in the CommonJS build: the file's own URL.
  define: { 'import.meta.url': '__openrunPluginUrl' },
  banner: { js: "const __openrunPluginUrl = require('node:url').pathToFileURL(__filename).href;" },
});

await build({
  ...common,
  entryPoints: ['src/testing/jest.ts'],
  outfile: 'dist/jest.cjs',
  external: ['@tarojs/*'],
});
