import { afterEach, beforeEach, expect, it } from 'vitest';
import { checkScenario } from '@openrun/platform';
import { loginAndExchange, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform;
beforeEach(async () => {
  p = await startTestPlatform();
});
afterEach(() => p.close());

const scenario = {
  clock: { now: '2026-03-04T08:00:00+08:00', frozen: true },
  apps: [
    { platform: 'weapp', appid: 'wx0123456789abcdef', secret: '0123456789abcdef0123456789abcdef', name: 'Walk', cloud: true },
    { platform: 'qq', appid: '1234567890' },
  ],
  users: [
    { id: 'alice', nickname: 'Alice', deviceToken: 'dev-alice-0001', steps: [{ date: '2026-03-03', steps: 12000 }] },
    { id: 'bob', generate: { seed: 9, days: 31 } },
    { id: 'carol', werunEnabled: false },
  ],
  grants: [
    { app: 'wx0123456789abcdef', user: 'alice', scope: 'scope.werun', granted: true },
    { app: 'wx0123456789abcdef', user: 'bob', scope: 'scope.werun', granted: false },
  ],
  faults: [{ route: 'GET /sns/jscode2session', errcode: -1, times: 1 }],
};

it('a scenario declares apps with fixed credentials, users with literal and generated histories, grants, faults and the clock', async () => {
  const r = await p.control<{ apps: { appid: string }[]; users: { id: string }[] }>('POST', '/scenario', scenario);
  expect(r.status).toBe(200);
  expect(r.body.apps.map((a) => a.appid)).toEqual(['wx0123456789abcdef', '1234567890']);
  expect((await p.control('GET', '/clock')).body).toMatchObject({ now: '2026-03-04T00:00:00.000Z', frozen: true });
  expect((await p.control('GET', '/users/alice/steps')).body).toEqual({ days: [{ date: '2026-03-03', steps: 12000 }] });
  expect((await p.control<{ days: unknown[] }>('GET', '/users/bob/steps')).body.days).toHaveLength(31);
  expect((await p.control('GET', '/apps/wx0123456789abcdef/users/bob/grants')).body).toEqual({ authSetting: { 'scope.werun': false } });
  expect((await p.control<{ faults: unknown[] }>('GET', '/faults')).body.faults).toEqual([expect.objectContaining({ route: 'GET /sns/jscode2session', uses: 0 })]);
  const alice = { id: 'alice', deviceToken: 'dev-alice-0001' };
  const app = { appid: 'wx0123456789abcdef', secret: '0123456789abcdef0123456789abcdef', platform: 'weapp' as const, cloud: true };
  await expect(loginAndExchange(p, app, alice)).rejects.toThrow(/-1/);
  expect((await loginAndExchange(p, app, alice)).openid).toMatch(/^o/);
});

it('a scenario replaces what was there before', async () => {
  await p.createApp({ platform: 'weapp' });
  await p.control('POST', '/scenario', { users: [{ id: 'solo' }] });
  expect((await p.control('GET', '/apps')).body).toEqual({ apps: [] });
  expect((await p.control<{ users: { id: string }[] }>('GET', '/users')).body.users.map((u) => u.id)).toEqual(['solo']);
});

it('an invalid scenario names the file, the JSON path and what was expected, and changes nothing', async () => {
  const cases: [unknown, string][] = [
    [{ apps: [{ platform: 'alipay' }] }, 'team.yaml: apps[0].platform: expected one of "weapp", "qq", got "alipay"'],
    [{ apps: [{ platform: 'weapp', appid: '1234567890' }] }, 'team.yaml: apps[0].appid: expected a WeChat appid "wx" + 16 hex digits, got "1234567890"'],
    [{ users: [{ id: 'a', generate: { days: 5000 } }] }, 'team.yaml: users[0].generate.days:'],
    [{ users: [{ id: 'a', steps: [{ date: '2026-02-30', steps: 1 }] }] }, 'team.yaml: users[0].steps[0].date: expected a calendar date YYYY-MM-DD, got "2026-02-30"'],
    [{ users: [{ id: 'a', steps: [{ date: '2026-02-01', steps: -4 }] }] }, 'team.yaml: users[0].steps[0].steps:'],
    [{ users: [{ id: 'a', nickname: 7 }] }, 'team.yaml: users[0].nickname: expected string, got 7'],
    [{ users: [{ id: 'a', nick: 'x' }] }, 'team.yaml: users[0]: unknown field "nick"'],
    [{ users: [{ id: 'a' }, { id: 'a' }] }, 'team.yaml: users[1].id: "a" is declared twice'],
    [{ grants: [{ app: 'wx0123456789abcdef', user: 'a', scope: 'scope.werun', granted: true }] }, 'team.yaml: grants[0].app: expected the appid of an app declared under "apps"'],
    [{ grants: [{ app: 'x', user: 'a', scope: 'scope.werun' }] }, 'team.yaml: grants[0]: missing field "granted"'],
    [{ faults: [{ route: 'GET /sns/jscode2session' }] }, 'team.yaml: faults[0]: expected exactly one of "errcode", "delayMs" or "drop"'],
    [{ faults: [{ route: 'jscode2session', errcode: -1 }] }, 'team.yaml: faults[0].route: expected text matching'],
    [{ clock: { now: 'teatime' } }, 'team.yaml: clock.now: expected an ISO-8601 instant'],
    [{ extra: true }, 'team.yaml: (top level): unknown field "extra"'],
    [[], 'team.yaml: (top level): expected object, got []'],
  ];
  for (const [value, message] of cases) {
    expect(() => checkScenario(value, 'team.yaml'), JSON.stringify(value)).toThrow(message);
  }
  await p.createApp({ platform: 'weapp' });
  const r = await p.control<{ error: { code: string; message: string } }>('POST', '/scenario', { users: [{ id: 'a' }, { id: 'a' }] });
  expect(r.status).toBe(400);
  expect(r.body.error.message).toBe('[openrun] scenario: users[1].id: "a" is declared twice');
  expect((await p.control<{ apps: unknown[] }>('GET', '/apps')).body.apps).toHaveLength(1);
});
