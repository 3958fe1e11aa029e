import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  code2sessionPath,
  errmsgText,
  loginCode,
  startTestPlatform,
  type TestApp,
  type TestPlatform,
  type TestUser,
} from '../../helpers/platform.js';

let p: TestPlatform;
let app: TestApp;
let user: TestUser;
beforeEach(async () => {
  p = await startTestPlatform();
  app = await p.createApp({ platform: 'weapp' });
  user = await p.createUser();
});
afterEach(() => p.close());

async function exchange(path: string) {
  return p.request<{ errcode?: number; errmsg?: string; session_key?: string; openid?: string }>('GET', path);
}

describe('GET /sns/jscode2session', () => {
  it('answers {session_key, openid} with no errcode, as the real host does, in WeChat content type', async () => {
    const r = await exchange(code2sessionPath(app, await loginCode(p, app, user)));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; encoding=utf-8');
    expect(Object.keys(r.body).sort()).toEqual(['openid', 'session_key']);
    expect(Buffer.from(r.body.session_key!, 'base64')).toHaveLength(16);
  });

  it('adds unionid when the app is bound to an open-platform account', async () => {
    const bound = await p.createApp({ platform: 'weapp', openPlatformId: 'op_demo' });
    const r = await exchange(code2sessionPath(bound, await loginCode(p, bound, user)));
    expect(r.body).toHaveProperty('unionid');
  });

  it('keeps the same openid for a user and gives each app its own', async () => {
    const a = await exchange(code2sessionPath(app, await loginCode(p, app, user)));
    const b = await exchange(code2sessionPath(app, await loginCode(p, app, user)));
    const other = await p.createApp({ platform: 'weapp' });
    const c = await exchange(code2sessionPath(other, await loginCode(p, other, user)));
    expect(a.body.openid).toBe(b.body.openid);
    expect(c.body.openid).not.toBe(a.body.openid);
  });

  it('a second exchange of the same code returns 40163 code been used', async () => {
    const code = await loginCode(p, app, user);
    await exchange(code2sessionPath(app, code));
    const r = await exchange(code2sessionPath(app, code));
    expect(r.status).toBe(200);
    expect(r.body.errcode).toBe(40163);
    expect(r.body.errmsg).toMatch(/^code been used, rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
  });

  it('an unknown code, an expired code and another app\'s code return 40029 invalid code', async () => {
    expect((await exchange(code2sessionPath(app, 'nosuchcode'))).body).toMatchObject({ errcode: 40029 });
    const other = await p.createApp({ platform: 'weapp' });
    const otherCode = await loginCode(p, other, user);
    expect((await exchange(code2sessionPath(app, otherCode))).body.errcode).toBe(40029);
    const code = await loginCode(p, app, user);
    await p.advance(301);
    const r = await exchange(code2sessionPath(app, code));
    expect(r.body.errcode).toBe(40029);
    expect(errmsgText(r.body.errmsg)).toBe('invalid code');
  });

  it('a code still works 299 s after login', async () => {
    const code = await loginCode(p, app, user);
    await p.advance(299);
    expect((await exchange(code2sessionPath(app, code))).body.openid).toBeDefined();
  });

  it.each([
    ['appid', 41002, 'appid missing'],
    ['secret', 41004, 'appsecret missing'],
    ['js_code', 41008, 'missing code'],
  ])('a missing %s returns %i', async (param, errcode, text) => {
    const r = await exchange(code2sessionPath(app, 'x', { [param]: undefined }));
    expect(r.body.errcode).toBe(errcode);
    expect(errmsgText(r.body.errmsg)).toBe(text);
    const empty = await exchange(code2sessionPath(app, 'x', { [param]: '' }));
    expect(empty.body.errcode).toBe(errcode);
  });

  it('a wrong grant_type returns 40002, an unknown appid 40013, a wrong secret 40125', async () => {
    const code = await loginCode(p, app, user);
    expect((await exchange(code2sessionPath(app, code, { grant_type: 'client_credential' }))).body.errcode).toBe(40002);
    expect((await exchange(code2sessionPath(app, code, { appid: 'wx0000000000000000' }))).body.errcode).toBe(40013);
    const wrong = await exchange(code2sessionPath(app, code, { secret: '0'.repeat(32) }));
    expect(wrong.body.errcode).toBe(40125);
    expect(errmsgText(wrong.body.errmsg)).toBe('invalid appsecret');
    // None of the refusals consumed the code.
    expect((await exchange(code2sessionPath(app, code))).body.openid).toBeDefined();
  });

  it('a QQ appid is not a WeChat app (40013)', async () => {
    const qq = await p.createApp({ platform: 'qq' });
    const r = await exchange(code2sessionPath({ ...qq, platform: 'weapp' }, await loginCode(p, qq, user)));
    expect(r.body.errcode).toBe(40013);
  });

  it('the 101st exchange for one user within a minute returns 45011', async () => {
    await p.freezeClock('2026-03-01T10:00:05Z');
    const codes: string[] = [];
    for (let i = 0; i < 101; i++) codes.push(await loginCode(p, app, user));
    for (let i = 0; i < 100; i++) expect((await exchange(code2sessionPath(app, codes[i]!))).body.openid).toBeDefined();
    const r = await exchange(code2sessionPath(app, codes[100]!));
    expect(r.body.errcode).toBe(45011);
    expect(errmsgText(r.body.errmsg)).toBe('api minute-quota reach limit mustslower retry next minute');
    await p.advance(60);
    expect((await exchange(code2sessionPath(app, await loginCode(p, app, user)))).body.openid).toBeDefined();
  });

  it('reads only the query: parameters in a POST body count as missing', async () => {
    const r = await p.request('POST', '/sns/jscode2session', { appid: app.appid, secret: app.secret, js_code: 'x' });
    expect(r.body).toMatchObject({ errcode: 41002 });
  });
});

describe('session_key rotation on login', () => {
  it('keeps the session_key for logins within the minimum period and rotates it after', async () => {
    await p.freezeClock('2026-03-01T10:00:00Z');
    const first = await exchange(code2sessionPath(app, await loginCode(p, app, user)));
    await p.advance(60);
    const second = await exchange(code2sessionPath(app, await loginCode(p, app, user)));
    expect(second.body.session_key).toBe(first.body.session_key);
    await p.advance(300);
    const third = await exchange(code2sessionPath(app, await loginCode(p, app, user)));
    expect(third.body.session_key).not.toBe(first.body.session_key);
    expect(third.body.openid).toBe(first.body.openid);
  });
});
