/**
 * `@openrun/taro/jest`: the Vitest entry built to CommonJS with `@openrun/client` inside (Jest does not load ES
 * modules from node_modules). Map it with `moduleNameMapper: { '^@tarojs/taro$': '@openrun/taro/jest' }`, which
 * replaces `@tarojs/test-utils-react`'s own mapping of `@tarojs/taro`.
 */
export * from './vitest.js';
export { default } from './vitest.js';
