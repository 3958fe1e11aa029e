import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { code2sessionPath, errmsgText, loginCode, startTestPlatform, type TestApp, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform;
let app: TestApp;
beforeEach(async () => {
  p = await startTestPlatform();
  app = await p.createApp({ platform: 'qq', cloud: true });
});
afterEach(() => p.close());

describe('QQ developer API under /qq', () => {
  it('QQ apps have 10-digit appids and never get cloud development', () => {
    expect(app.appid).toMatch(/^[1-9]\d{9}$/);
    expect(app.cloud).toBe(false);
  });

  it('exchanges a code once at /qq/sns/jscode2session and refuses the second with 40163', async () => {
    const user = await p.createUser();
    const code = await loginCode(p, app, user);
    const ok = await p.request<{ openid: string; session_key: string }>('GET', code2sessionPath(app, code));
    expect(Object.keys(ok.body).sort()).toEqual(['openid', 'session_key']);
    const again = await p.request<{ errcode: number; errmsg: string }>('GET', code2sessionPath(app, code));
    expect(again.body.errcode).toBe(40163);
    expect(errmsgText(again.body.errmsg)).toBe('code been used');
  });

  it('issues tokens at /qq/api/getToken and checks the credentials', async () => {
    const ok = await p.request('GET', `/qq/api/getToken?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`);
    expect(ok.body).toMatchObject({ expires_in: 7200 });
    const wrong = await p.request('GET', `/qq/api/getToken?grant_type=client_credential&appid=${app.appid}&secret=${'a'.repeat(32)}`);
    expect(wrong.body).toMatchObject({ errcode: 40001 });
    const wechatPath = await p.request('GET', `/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`);
    expect(wechatPath.body).toMatchObject({ errcode: 40013 });
  });

  it('a WeChat appid is unknown on the QQ host', async () => {
    const wx = await p.createApp({ platform: 'weapp' });
    const r = await p.request('GET', `/qq/api/getToken?grant_type=client_credential&appid=${wx.appid}&secret=${wx.secret}`);
    expect(r.body).toMatchObject({ errcode: 40013 });
  });
});
