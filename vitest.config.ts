import { defineConfig } from 'vitest/config';
import { isSkipNotice } from './test/reporters/skipped-suites.js';

// Tests run against the TypeScript sources (the `openrun-source` export condition), so no build is needed first.
export default defineConfig({
  resolve: { conditions: ['openrun-source'] },
  ssr: { resolve: { conditions: ['openrun-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Skip notices ("[openrun] SKIPPING … : Chromium not found") are printed once, in the summary, by this reporter.
    reporters: ['default', './test/reporters/skipped-suites.ts'],
    onConsoleLog: (log) => !isSkipNotice(log),
  },
});
