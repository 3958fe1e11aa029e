import { buildPlatform, listenPlatform } from '@openrun/platform';
import { describe, expect, it } from 'vitest';

describe('logging', () => {
  it('never writes secrets, codes, session keys, tokens or cloudIDs to the log, even on failures', async () => {
    const lines: string[] = [];
    const app = buildPlatform({ memory: true }, { logStream: { write: (line) => void lines.push(line) } });
    const base = await listenPlatform(app, { host: '127.0.0.1', port: 0 });
    try {
      const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
        const r = await fetch(base + path, {
          method,
          headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return (await r.json()) as Record<string, string>;
      };
      const wx = await call('POST', '/openrun/control/v1/apps', { platform: 'weapp', cloud: true });
      const user = await call('POST', '/openrun/control/v1/users', {});
      const auth = { authorization: `Bearer ${user.deviceToken!}` };
      const { code } = await call('POST', `/openrun/runtime/v1/apps/${wx.appid!}/login`, undefined, auth);
      const session = await call('GET', `/sns/jscode2session?appid=${wx.appid!}&secret=${wx.secret!}&js_code=${code!}&grant_type=authorization_code`);
      await call('GET', `/sns/jscode2session?appid=${wx.appid!}&secret=${wx.secret!}&js_code=${code!}&grant_type=authorization_code`);
      const { cloudID } = await call('POST', `/openrun/runtime/v1/apps/${wx.appid!}/werun`, undefined, auth);
      const { access_token } = await call('GET', `/cgi-bin/token?grant_type=client_credential&appid=${wx.appid!}&secret=${wx.secret!}`);
      await call('POST', `/wxa/getopendata?access_token=${access_token!}`, { cloudid_list: [cloudID] });
      await call('GET', `/wxa/checksession?access_token=${access_token!}&openid=${session.openid!}&signature=x&sig_method=hmac_sha256`);
      const log = lines.join('');
      expect(log).toContain('/sns/jscode2session');
      for (const secret of [wx.secret, code, session.session_key, access_token, cloudID, user.deviceToken]) {
        expect(log).not.toContain(secret);
      }
    } finally {
      await app.close();
    }
  });
});
