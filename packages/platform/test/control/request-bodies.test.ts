import { buildPlatform } from '@openrun/platform';
import { afterEach, expect, it } from 'vitest';

const TOKEN = 'orctl_test';
const AUTH = { authorization: `Bearer ${TOKEN}` };

let app: ReturnType<typeof buildPlatform>;
afterEach(() => app.close());

interface Entry {
  route: string;
  requestBody: string | null;
  responseBody: string | null;
}

it('the request log keeps each call\'s request and response bodies with secrets and session keys redacted', async () => {
  app = buildPlatform({ memory: true, controlToken: TOKEN });
  const wx = (await app.inject({ method: 'POST', url: '/openrun/control/v1/apps', headers: AUTH, payload: { platform: 'weapp' } })).json<{ appid: string; secret: string }>();
  const user = (await app.inject({ method: 'POST', url: '/openrun/control/v1/users', headers: AUTH, payload: {} })).json<{ deviceToken: string }>();
  const login = await app.inject({ method: 'POST', url: `/openrun/runtime/v1/apps/${wx.appid}/login`, headers: { authorization: `Bearer ${user.deviceToken}` } });
  const code = login.json<{ code: string }>().code;
  const session = await app.inject(`/sns/jscode2session?appid=${wx.appid}&secret=${wx.secret}&js_code=${code}&grant_type=authorization_code`);
  const sessionKey = session.json<{ session_key: string }>().session_key;
  await app.inject({ method: 'POST', url: '/cgi-bin/stable_token', payload: { grant_type: 'client_credential', appid: wx.appid, secret: wx.secret } });
  await app.inject(`/sns/jscode2session?appid=${wx.appid}&secret=${wx.secret}&js_code=${code}&grant_type=authorization_code`);

  const log = (await app.inject({ url: '/openrun/control/v1/requests', headers: AUTH })).json<{ requests: Entry[] }>().requests;
  const text = JSON.stringify(log);
  for (const secret of [wx.secret, sessionKey, code, user.deviceToken]) expect(text).not.toContain(secret);
  const exchanges = log.filter((e) => e.route === 'GET /sns/jscode2session');
  const again = exchanges[0];
  const first = exchanges.at(-1);
  const stable = log.find((e) => e.route === 'POST /cgi-bin/stable_token');
  expect(JSON.parse(first!.responseBody!)).toEqual({ session_key: '[redacted]', openid: expect.stringMatching(/^o/) });
  expect(first!.requestBody).toBeNull();
  expect(JSON.parse(stable!.requestBody!)).toEqual({ grant_type: 'client_credential', appid: wx.appid, secret: '[redacted]' });
  expect(JSON.parse(stable!.responseBody!)).toMatchObject({ access_token: '[redacted]', expires_in: 7200 });
  expect(JSON.parse(again!.responseBody!)).toMatchObject({ errcode: 40163 });
});
