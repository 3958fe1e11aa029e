import { buildPlatform } from '@openrun/platform';
import { expect, it } from 'vitest';
import { FIXTURE_FUNCTIONS } from './helpers.js';

it('fails a call on a platform that never listened with a message that says to call listen()', async () => {
  const app = buildPlatform({ memory: true, functionsDir: FIXTURE_FUNCTIONS, controlToken: 'orctl_test' });
  // A platform that is not listening requires the control token.
  const control = { authorization: 'Bearer orctl_test' };
  try {
    const created = await app.inject({ method: 'POST', url: '/openrun/control/v1/apps', payload: { platform: 'weapp', cloud: true }, headers: control });
    const user = await app.inject({ method: 'POST', url: '/openrun/control/v1/users', payload: {}, headers: control });
    const { appid } = created.json<{ appid: string }>();
    const { deviceToken } = user.json<{ deviceToken: string }>();
    const r = await app.inject({
      method: 'POST',
      url: `/openrun/runtime/v1/apps/${appid}/functions/echo`,
      headers: { authorization: `Bearer ${deviceToken}` },
      payload: { data: {} },
    });
    expect(r.statusCode).toBe(502);
    expect(r.json<{ error: { message: string } }>().error.message).toMatch(/need a listening platform: call listen\(\)/);
  } finally {
    await app.close();
  }
});
