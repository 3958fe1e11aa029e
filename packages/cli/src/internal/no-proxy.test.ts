import { expect, it } from 'vitest';
import { mergeNoProxy } from './no-proxy.js';

const SERVED = ['api.weixin.qq.com', 'api.q.qq.com', 'tcb-api.tencentcloudapi.com', '*.tcb-api.tencentcloudapi.com'];

it('keeps the caller’s own entries after loopback, in their order, without repeating loopback', () => {
  expect(mergeNoProxy(' intranet.corp ,10.0.0.0/8,localhost,,registry.npmjs.org:443', SERVED)).toEqual({
    value: '127.0.0.1,localhost,::1,intranet.corp,10.0.0.0/8,registry.npmjs.org:443',
    dropped: [],
  });
  expect(mergeNoProxy(undefined, SERVED).value).toBe('127.0.0.1,localhost,::1');
});

it('drops every entry that would send a served host past OpenRun, and only those', () => {
  const existing = '*,qq.com,.weixin.qq.com,API.Q.QQ.COM:443,*.tencentcloudapi.com,env-1.tcb-api.tencentcloudapi.com,weixin.qq.com.cn,myqq.com,[::2]';
  expect(mergeNoProxy(existing, SERVED)).toEqual({
    value: '127.0.0.1,localhost,::1,weixin.qq.com.cn,myqq.com,[::2]',
    dropped: ['*', 'qq.com', '.weixin.qq.com', 'API.Q.QQ.COM:443', '*.tencentcloudapi.com', 'env-1.tcb-api.tencentcloudapi.com'],
  });
});
