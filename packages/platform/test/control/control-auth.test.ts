import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '@openrun/platform';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

describe('control API token', () => {
  it('is required when the platform says so, and compared exactly', async () => {
    p = await startTestPlatform({ requireControlToken: true, controlToken: 'orctl_secret' });
    expect((await p.request('GET', '/openrun/control/v1/apps')).status).toBe(401);
    expect((await p.request('GET', '/openrun/control/v1/apps', undefined, { authorization: 'Bearer orctl_wrong' })).status).toBe(401);
    expect((await p.request('GET', '/openrun/control/v1/apps', undefined, { authorization: 'Bearer orctl_secret' })).status).toBe(200);
  });

  it('is required by default on a non-loopback host and optional on loopback', () => {
    expect(resolveConfig({ host: '127.0.0.1' }, {}).requireControlToken).toBe(false);
    expect(resolveConfig({ host: '0.0.0.0', controlToken: 't' }, {}).requireControlToken).toBe(true);
    expect(() => resolveConfig({ host: '0.0.0.0' }, {})).toThrow(/needs a token/);
  });
});

describe('configuration order', () => {
  it('takes the option, then the OPENRUN_ variable, then the default; a blank variable is unset', () => {
    expect(resolveConfig({}, {}).stepDays).toBe(31);
    expect(resolveConfig({}, { OPENRUN_STEP_DAYS: '30' }).stepDays).toBe(30);
    expect(resolveConfig({ stepDays: 31 }, { OPENRUN_STEP_DAYS: '30' }).stepDays).toBe(31);
    expect(resolveConfig({}, { OPENRUN_STEP_DAYS: '  ' }).stepDays).toBe(31);
    expect(resolveConfig({}, { OPENRUN_DATA: '/tmp/x' }).dataDir).toBe('/tmp/x');
    expect(() => resolveConfig({}, { OPENRUN_SESSION_ROTATION_SECONDS: 'soon' })).toThrow(/whole number/);
  });
});
