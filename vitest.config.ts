import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources (the `openrun-source` export condition), so no build is needed first.
export default defineConfig({
  resolve: { conditions: ['openrun-source'] },
  ssr: { resolve: { conditions: ['openrun-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
