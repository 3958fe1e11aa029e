import { defineConfig } from 'vitest/config';

// The app's unit tests call OpenRun instead of Taro's H5 stubs: `@tarojs/taro` is @openrun/taro's test entry.
export default defineConfig({
  // The build-time flags Taro's runtime reads (the values of Taro's own build defaults).
  define: {
    ENABLE_INNER_HTML: 'true',
    ENABLE_ADJACENT_HTML: 'false',
    ENABLE_SIZE_APIS: 'false',
    ENABLE_TEMPLATE_CONTENT: 'false',
    ENABLE_CLONE_NODE: 'false',
    ENABLE_CONTAINS: 'false',
    ENABLE_MUTATION_OBSERVER: 'false',
    'process.env.SUPPORT_TARO_POLYFILL': '"disabled"',
  },
  resolve: { alias: [{ find: /^@tarojs\/taro$/, replacement: '@openrun/taro/vitest' }] },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'jsdom',
    // Taro's H5 library ships ES modules with extensionless imports that only a bundler resolves: let Vite transform it.
    server: { deps: { inline: [/@tarojs\//, /@openrun\/taro/] } },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
