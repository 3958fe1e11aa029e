import { describe, expect, it } from 'vitest';
import { resolveBaseUrl } from './config.js';

describe('base URL configuration', () => {
  it('defaults to the real hosts', () => {
    expect(resolveBaseUrl('weapp', undefined, {})).toBe('https://api.weixin.qq.com');
    expect(resolveBaseUrl('qq', undefined, {})).toBe('https://api.q.qq.com');
  });

  it('switches every client to OpenRun when OPENRUN_EMULATOR_HOST is set, QQ under /qq', () => {
    const env = { OPENRUN_EMULATOR_HOST: '127.0.0.1:9527' };
    expect(resolveBaseUrl('weapp', undefined, env)).toBe('http://127.0.0.1:9527');
    expect(resolveBaseUrl('qq', undefined, env)).toBe('http://127.0.0.1:9527/qq');
  });

  it('accepts a full URL in OPENRUN_EMULATOR_HOST', () => {
    expect(resolveBaseUrl('weapp', undefined, { OPENRUN_EMULATOR_HOST: 'https://openrun.test:8443/' })).toBe(
      'https://openrun.test:8443',
    );
  });

  it('prefers the baseUrl option over the environment', () => {
    const env = { OPENRUN_EMULATOR_HOST: '127.0.0.1:9527' };
    expect(resolveBaseUrl('weapp', 'http://localhost:1234/', env)).toBe('http://localhost:1234');
  });

  it('treats a blank variable or a blank option as unset', () => {
    expect(resolveBaseUrl('weapp', '  ', { OPENRUN_EMULATOR_HOST: '   ' })).toBe('https://api.weixin.qq.com');
    expect(resolveBaseUrl('qq', '', { OPENRUN_EMULATOR_HOST: '127.0.0.1:1' })).toBe('http://127.0.0.1:1/qq');
  });
});
