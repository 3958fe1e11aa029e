import { buildPlatform, type RootIndex } from '@openrun/platform';
import { afterEach, expect, it } from 'vitest';

let app: ReturnType<typeof buildPlatform>;
afterEach(() => app.close());

it('GET / in a browser goes to the dashboard', async () => {
  app = buildPlatform({ memory: true });
  for (const accept of ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', undefined, '*/*']) {
    const r = await app.inject({ url: '/', headers: accept ? { accept } : {} });
    expect(r.statusCode, accept).toBe(302);
    expect(r.headers.location).toBe('/ui/');
  }
});

it('GET / for a JSON client answers 200 with the API groups and their paths', async () => {
  app = buildPlatform({ memory: true });
  const r = await app.inject({ url: '/', headers: { accept: 'application/json' } });
  expect(r.statusCode).toBe(200);
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  const index = r.json<RootIndex>();
  expect(index).toMatchObject({ name: 'OpenRun', dashboard: '/ui/', openapi: '/openrun/openapi.json' });
  const group = (prefix: string) => index.groups.find((g) => g.prefix === prefix)!.paths;
  expect(group('/')).toEqual(expect.arrayContaining(['/sns/jscode2session', '/cgi-bin/token', '/wxa/getopendata']));
  expect(group('/qq')).toEqual(expect.arrayContaining(['/qq/sns/jscode2session', '/qq/api/getToken']));
  expect(group('/openrun/control/v1')).toEqual(expect.arrayContaining(['/openrun/control/v1/users', '/openrun/control/v1/clock']));
  expect(group('/openrun/runtime/v1').some((p) => p.endsWith('/werun'))).toBe(true);
  expect(group('/')).not.toContain('/qq/sns/jscode2session');
  expect(index.groups.flatMap((g) => g.paths)).not.toContain('/');
});
