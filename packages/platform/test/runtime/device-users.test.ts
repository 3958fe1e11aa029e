import { afterEach, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

interface UsersReply {
  users: { id: string; nickname: string; deviceToken: string }[];
  truncated: boolean;
  error?: { code: string; message: string };
}

it('a device on a loopback platform lists the users a page may switch to', async () => {
  p = await startTestPlatform();
  const app = await p.createApp({ platform: 'weapp' });
  const ann = await p.createUser({ nickname: 'Ann' });
  const bob = await p.createUser({ nickname: 'Bob' });
  const r = await p.runtime<UsersReply>(ann.deviceToken, 'GET', `/apps/${app.appid}/users`);
  expect(r.status).toBe(200);
  expect(r.body).toEqual({
    users: [
      { id: ann.id, nickname: 'Ann', deviceToken: ann.deviceToken },
      { id: bob.id, nickname: 'Bob', deviceToken: bob.deviceToken },
    ],
    truncated: false,
  });
});

it('the list needs a known device token and an existing app', async () => {
  p = await startTestPlatform();
  const app = await p.createApp({ platform: 'weapp' });
  const user = await p.createUser();
  expect((await p.runtime('nope-0000', 'GET', `/apps/${app.appid}/users`)).status).toBe(401);
  expect((await p.runtime(user.deviceToken, 'GET', '/apps/wx00000000000000ff/users')).status).toBe(404);
});

it('a platform that needs a control token does not list users on the runtime API', async () => {
  p = await startTestPlatform({ requireControlToken: true, controlToken: 'orctl_secret' });
  const auth = { authorization: 'Bearer orctl_secret' };
  const app = await p.request<{ appid: string }>('POST', '/openrun/control/v1/apps', { platform: 'weapp' }, auth);
  const user = await p.request<{ deviceToken: string }>('POST', '/openrun/control/v1/users', {}, auth);
  const r = await p.runtime<UsersReply>(user.body.deviceToken, 'GET', `/apps/${app.body.appid}/users`);
  expect(r.status).toBe(401);
  expect(r.body.error?.code).toBe('OR_ERR_CONTROL_TOKEN');
  expect(r.body.error?.message).toContain('?openrun_user=<deviceToken>');
});
