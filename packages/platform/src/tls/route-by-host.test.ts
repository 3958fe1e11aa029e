import { describe, expect, it } from 'vitest';
import { REFUSED_HOST_PATH, routeByHost } from './route-by-host.js';
import { hostnameOf, hostRoute } from './served-hosts.js';

const route = (url: string, host?: string) => routeByHost({ url, headers: host === undefined ? {} : { host } });

describe('routing by host', () => {
  it('sends the real hosts to their route group at their real paths', () => {
    expect(route('/sns/jscode2session?a=1', 'api.weixin.qq.com')).toBe('/sns/jscode2session?a=1');
    expect(route('/api/getToken?a=1', 'API.Q.QQ.COM:443')).toBe('/qq/api/getToken?a=1');
    expect(route('/admin?env=x', 'env-1.ap-shanghai.tcb-api.tencentcloudapi.com')).toBe('/tcb/admin?env=x');
    expect(route('https://api.q.qq.com/sns/jscode2session?x=1')).toBe('/qq/sns/jscode2session?x=1');
    expect(route('http://tcb-api.tencentcloudapi.com/admin')).toBe('/tcb/admin');
  });

  it("keeps OpenRun's own paths off api.weixin.qq.com: only the WeChat group's paths are served there", () => {
    expect(route('/wxa/getopendata?access_token=x', 'api.weixin.qq.com')).toBe('/wxa/getopendata?access_token=x');
    expect(route('/tcb/invokecloudfunction?env=e', 'api.weixin.qq.com')).toBe('/tcb/invokecloudfunction?env=e');
    for (const path of ['/openrun/control/v1/apps', '/ui/', '/qq/api/getToken', '/tcb/admin', '/', '/openapi.json', '/tcb/invokecloudfunctionx']) {
      expect(route(path, 'api.weixin.qq.com')).toBe(`/.not-on-host${path}`);
      expect(route(`https://api.weixin.qq.com${path}`)).toBe(`/.not-on-host${path}`);
    }
  });

  it('leaves requests to OpenRun under its own names alone', () => {
    expect(route('/qq/api/getToken', '127.0.0.1:9527')).toBe('/qq/api/getToken');
    expect(route('/openrun/control/v1/apps', 'openrun:9527')).toBe('/openrun/control/v1/apps');
    expect(route('http://127.0.0.1:9527/cgi-bin/token?x')).toBe('/cgi-bin/token?x');
  });

  it('refuses absolute-form requests for any other host', () => {
    expect(route('http://example.com/cgi-bin/token')).toBe(`${REFUSED_HOST_PATH}?host=example.com`);
    expect(route('https://api.weixin.qq.com.evil.example/x')).toBe(`${REFUSED_HOST_PATH}?host=api.weixin.qq.com.evil.example`);
    expect(route('http://[::')).toMatch(new RegExp(`^${REFUSED_HOST_PATH}\\?host=`));
  });

  it('knows exactly the served names', () => {
    expect(hostnameOf('[::1]:443')).toBe('::1');
    expect(hostnameOf('api.weixin.qq.com.:443')).toBe('api.weixin.qq.com');
    expect(hostRoute('a.b.tcb-api.tencentcloudapi.com')).toBe('cloud-gateway');
    expect(hostRoute('x.api.weixin.qq.com')).toBeUndefined();
    expect(hostRoute('eviltcb-api.tencentcloudapi.com')).toBeUndefined();
  });
});
