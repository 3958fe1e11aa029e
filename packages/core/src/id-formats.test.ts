import { describe, expect, it } from 'vitest';
import {
  ACCESS_TOKEN_PATTERN,
  CLOUD_ID_PATTERN,
  createIdGenerator,
  OPENID_PATTERN,
  QQ_APPID_PATTERN,
  SECRET_PATTERN,
  WECHAT_APPID_PATTERN,
} from './id-formats.js';

describe('id formats', () => {
  const ids = createIdGenerator();

  it('generates ids in the observed real formats', () => {
    for (let i = 0; i < 200; i++) {
      expect(ids.wechatAppid()).toMatch(WECHAT_APPID_PATTERN);
      expect(ids.qqAppid()).toMatch(QQ_APPID_PATTERN);
      expect(ids.secret()).toMatch(SECRET_PATTERN);
      expect(ids.openid()).toMatch(OPENID_PATTERN);
      expect(ids.cloudId()).toMatch(CLOUD_ID_PATTERN);
      expect(ids.accessToken()).toMatch(ACCESS_TOKEN_PATTERN);
      expect(ids.loginCode()).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(ids.rid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
      expect(Buffer.from(ids.sessionKey(), 'base64')).toHaveLength(16);
    }
  });

  it('matches the real cloudID and openid samples', () => {
    expect('27_Ih-9vxDaOhIbh48Bdpk90DUkUoNMAPaNtg7OSGM-P2wPEk1NbspjKGoql_g').toMatch(CLOUD_ID_PATTERN);
    expect('oGZUI0egBJY1zhBYw2KhdUfwVJJE').toMatch(OPENID_PATTERN);
    expect('o--sB5rdWBfwTidbZzzn4FXfWpEg').toMatch(OPENID_PATTERN);
  });

  it('is deterministic for a deterministic random source', () => {
    let n = 0;
    const counter = (b: Uint8Array) => b.map(() => n++ % 256);
    const a = createIdGenerator(counter).openid();
    n = 0;
    expect(createIdGenerator(counter).openid()).toBe(a);
  });
});
