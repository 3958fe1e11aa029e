import { describe, expect, it } from 'vitest';
import { connect, platformOfAppid } from './connect.js';

const base = { baseUrl: 'http://127.0.0.1:9', deviceToken: 'dev' };

describe('connect', () => {
  it('returns a wx-shaped object for a WeChat appid and a qq-shaped one for a QQ appid', () => {
    const wx = connect({ ...base, appid: 'wx0123456789abcdef' });
    const qq = connect({ ...base, appid: '1112345678' });
    expect(Object.keys(wx).sort()).toEqual(
      ['authorize', 'checkSession', 'cloud', 'getSetting', 'getWeRunData', 'login', 'openSetting'].sort(),
    );
    expect(Object.keys(qq).sort()).toEqual(['authorize', 'checkSession', 'getQQRunData', 'getSetting', 'login', 'openSetting'].sort());
  });

  it('refuses a platform that contradicts the appid format', () => {
    expect(() => connect({ ...base, appid: '1112345678', platform: 'weapp' })).toThrow(/is a qq appid/);
  });

  it('asks for the platform when the appid format is unknown', () => {
    expect(() => connect({ ...base, appid: 'demo' })).toThrow(/pass options.platform/);
    expect(Object.keys(connect({ ...base, appid: 'demo', platform: 'qq' }))).toContain('getQQRunData');
  });

  it('names the missing option when baseUrl, appid or deviceToken is not a string', () => {
    expect(() => connect({ ...base, appid: 'wx0123456789abcdef', deviceToken: 7 as unknown as string })).toThrow(
      /options.deviceToken/,
    );
  });

  it('refuses a malformed baseLibVersion or timeout instead of guessing', () => {
    const appid = 'wx0123456789abcdef';
    expect(() => connect({ ...base, appid, baseLibVersion: 'latest' })).toThrow(/baseLibVersion must look like/);
    expect(() => connect({ ...base, appid, timeout: -1 })).toThrow(/timeout must be a positive number/);
    expect(() => connect({ ...base, appid, baseLibVersion: '2.10.2', timeout: 5 })).not.toThrow();
  });

  it('reads the platform of an appid from its format', () => {
    expect([platformOfAppid('wx0123456789abcdef'), platformOfAppid('1112345678'), platformOfAppid('x')]).toEqual([
      'weapp',
      'qq',
      undefined,
    ]);
  });
});
