import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestApp, type TestPlatform, type TestUser } from '../helpers/platform.js';

let p: TestPlatform;
let app: TestApp;
let user: TestUser;
beforeAll(async () => {
  p = await startTestPlatform();
  app = await p.createApp({ platform: 'weapp', cloud: true });
  user = await p.createUser();
});
afterAll(() => p.close());

describe('hostile input on OpenRun\'s own APIs', () => {
  it('answers any JSON body on runtime and control routes with a 2xx or a 4xx JSON error, never a 5xx', async () => {
    const routes: [string, string, boolean][] = [
      ['POST', `/openrun/runtime/v1/apps/${app.appid}/authorize`, true],
      ['PUT', `/openrun/runtime/v1/apps/${app.appid}/setting`, true],
      ['POST', `/openrun/runtime/v1/apps/${app.appid}/werun`, true],
      ['POST', '/openrun/control/v1/apps', false],
      ['PUT', `/openrun/control/v1/users/${user.id}/steps`, false],
      ['PUT', `/openrun/control/v1/apps/${app.appid}/users/${user.id}/grants`, false],
      ['PUT', '/openrun/control/v1/clock', false],
      ['POST', '/openrun/control/v1/faults', false],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue({ maxDepth: 3 }), async ([method, path, runtime], body) => {
        const r = await p.request<{ error?: { code: string } }>(method, path, JSON.stringify(body), runtime ? { authorization: `Bearer ${user.deviceToken}` } : {});
        expect(r.status).toBeLessThan(500);
        if (r.status >= 400) expect(r.body.error?.code).toMatch(/^OR_ERR_/);
      }),
      { numRuns: 200 },
    );
    await p.control('DELETE', '/faults');
    await p.control('PUT', '/clock', { frozen: false, now: Date.now() });
  });
});
