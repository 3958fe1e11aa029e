import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginCode, startTestPlatform, type TestApp, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform;
beforeEach(async () => {
  p = await startTestPlatform();
});
afterEach(() => p.close());

interface RuntimeError {
  error: { code: string; message: string; errMsg?: string; prompt?: { scope: string; appName: string; platform: string } };
}

const FLAVOURS = [
  { platform: 'weapp', scope: 'scope.werun', path: 'werun', api: 'getWeRunData' },
  { platform: 'qq', scope: 'scope.qqrun', path: 'qqrun', api: 'getQQRunData' },
] as const;

describe.each(FLAVOURS)("promptAnswer 'ask' for $scope", ({ platform, scope, path, api }) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await p.createApp({ platform, name: '步数挑战' });
  });

  it('a never-asked scope fails with PROMPT_REQUIRED naming the app and scope, and remembers nothing', async () => {
    const user = await p.createUser({ promptAnswer: 'ask' });
    await loginCode(p, app, user);
    const first = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/${path}`);
    expect(first.status).toBe(409);
    expect(first.body.error.code).toBe('OR_ERR_RUNTIME_PROMPT_REQUIRED');
    expect(first.body.error.prompt).toEqual({ scope, appName: '步数挑战', platform });
    expect(first.body.error.errMsg).toBe(`${api}:fail the authorization dialog was not answered`);
    expect((await p.runtime(user.deviceToken, 'GET', `/apps/${app.appid}/setting`)).body).toEqual({ authSetting: {} });
  });

  it('an accept answered on the device is remembered as the grant, and the data call then succeeds', async () => {
    const user = await p.createUser({ promptAnswer: 'ask' });
    await loginCode(p, app, user);
    const answer = await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/prompt`, { scope, answer: 'accept' });
    expect(answer).toMatchObject({ status: 200, body: { scope, granted: true } });
    expect((await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/${path}`)).status).toBe(200);
    expect((await p.runtime(user.deviceToken, 'GET', `/apps/${app.appid}/setting`)).body).toEqual({ authSetting: { [scope]: true } });
  });

  it('a deny answered on the device is remembered: later calls get the -12006 refusal without a dialog', async () => {
    const user = await p.createUser({ promptAnswer: 'ask' });
    await loginCode(p, app, user);
    const answer = await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/prompt`, { scope, answer: 'deny' });
    expect(answer.body).toEqual({ scope, granted: false });
    const again = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/${path}`);
    expect(again.status).toBe(403);
    expect(again.body.error.errMsg).toBe(`${api}:fail 系统错误，错误码：-12006,auth deny`);
    expect((await p.runtime(user.deviceToken, 'GET', `/apps/${app.appid}/setting`)).body).toEqual({ authSetting: { [scope]: false } });
  });

  it('authorize asks the same way before login', async () => {
    const user = await p.createUser({ promptAnswer: 'ask' });
    const first = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/authorize`, { scope });
    expect(first.body.error.code).toBe('OR_ERR_RUNTIME_PROMPT_REQUIRED');
    expect(first.body.error.errMsg).toBe('authorize:fail the authorization dialog was not answered');
    await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/prompt`, { scope, answer: 'accept' });
    expect((await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/authorize`, { scope })).status).toBe(200);
  });
});

describe('answering a prompt', () => {
  it('a second answer to a decided scope is a conflict and changes nothing', async () => {
    const app = await p.createApp({ platform: 'weapp' });
    const user = await p.createUser({ promptAnswer: 'ask' });
    await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/prompt`, { scope: 'scope.werun', answer: 'deny' });
    const second = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/prompt`, { scope: 'scope.werun', answer: 'accept' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('OR_ERR_CONTROL_CONFLICT');
    expect(second.body.error.message).toContain('already refused');
    expect((await p.runtime(user.deviceToken, 'GET', `/apps/${app.appid}/setting`)).body).toEqual({ authSetting: { 'scope.werun': false } });
  });

  it("users whose answer the platform plays ('accept' / 'deny') cannot answer on the device", async () => {
    const app = await p.createApp({ platform: 'weapp' });
    const user = await p.createUser({ promptAnswer: 'deny' });
    const r = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/prompt`, { scope: 'scope.werun', answer: 'accept' });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain("only users with promptAnswer 'ask'");
  });

  it('bad answers and unknown scopes are refused with clear errors', async () => {
    const app = await p.createApp({ platform: 'weapp' });
    const user = await p.createUser({ promptAnswer: 'ask' });
    const bad = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/prompt`, { scope: 'scope.werun', answer: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('OR_ERR_REQUEST_INVALID');
    const scope = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/prompt`, { scope: 'scope.qqrun', answer: 'accept' });
    expect(scope.status).toBe(400);
    expect(scope.body.error.code).toBe('OR_ERR_RUNTIME_INVALID_SCOPE');
    expect((await p.runtime(user.deviceToken, 'GET', `/apps/${app.appid}/setting`)).body).toEqual({ authSetting: {} });
  });

  it("the control API and scenarios accept 'ask'", async () => {
    const user = await p.createUser({ promptAnswer: 'ask' });
    expect((await p.control('GET', `/users/${user.id}`)).body).toMatchObject({ promptAnswer: 'ask' });
    const patched = await p.control('PATCH', `/users/${user.id}`, { promptAnswer: 'ask' });
    expect(patched.body).toMatchObject({ promptAnswer: 'ask' });
    const wrong = await p.control('PATCH', `/users/${user.id}`, { promptAnswer: 'later' });
    expect(wrong.status).toBe(400);
    const scenario = { apps: [{ platform: 'weapp', appid: 'wx0123456789abcdef' }], users: [{ id: 'dora', promptAnswer: 'ask' }] };
    expect((await p.control('POST', '/scenario', scenario)).status).toBe(200);
    expect((await p.control('GET', '/users/dora')).body).toMatchObject({ promptAnswer: 'ask' });
    const exported = await p.control<{ users: { id: string; promptAnswer: string }[] }>('GET', '/export');
    expect(exported.body.users.find((u) => u.id === 'dora')?.promptAnswer).toBe('ask');
  });
});
