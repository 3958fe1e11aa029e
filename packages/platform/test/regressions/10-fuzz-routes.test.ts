import { buildPlatform, listenPlatform } from '@openrun/platform';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { materialise, operationsOf, replyProblem, requestsFor, type FuzzOperation } from '../../../../bench/lib/route-fuzz.mjs';

/** Requests per route: a few hundred, fixed seed, so the whole run stays well under a minute. */
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = 20261201;

let app: FastifyInstance;
let ops: FuzzOperation[];
let fixtures: Record<string, string> = {};
const failures: string[] = [];

async function call(method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const r = await app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload: payload as string }) });
  return { status: r.statusCode, json: () => r.json() as Record<string, string> };
}

/** A WeChat app with cloud on, a QQ app, a user logged in to both, a code and an access token. */
async function makeFixtures(): Promise<void> {
  const wx = (await call('POST', '/openrun/control/v1/apps', { platform: 'weapp', cloud: true })).json();
  const qq = (await call('POST', '/openrun/control/v1/apps', { platform: 'qq' })).json();
  const user = (await call('POST', '/openrun/control/v1/users', { promptAnswer: 'accept' })).json();
  const auth = { authorization: `Bearer ${user.deviceToken}` };
  await call('POST', `/openrun/runtime/v1/apps/${qq.appid}/login`, undefined, auth);
  const code = (await call('POST', `/openrun/runtime/v1/apps/${wx.appid}/login`, undefined, auth)).json().code!;
  const token = (await call('GET', `/cgi-bin/token?grant_type=client_credential&appid=${wx.appid}&secret=${wx.secret}`)).json().access_token!;
  fixtures = {
    appid: wx.appid!, secret: wx.secret!, id: user.id!, deviceToken: user.deviceToken!, js_code: code, code,
    access_token: token, grant_type: 'client_credential', name: 'sum', env: wx.cloudEnv ?? 'env', openid: 'o', format: 'csv',
  };
}

/** Routes whose success replaces or removes the fixtures the generator refers to. */
const RESETS = /\/(reset|import|scenario)$|^DELETE \/openrun\/control\/v1\/users\/\{id\}$/;

beforeAll(async () => {
  app = buildPlatform({ memory: true, tokenDailyQuota: 0 });
  await listenPlatform(app, { host: '127.0.0.1', port: 0 });
  ops = operationsOf((await call('GET', '/openrun/openapi.json')).json());
  await makeFixtures();
});
afterAll(() => app.close());

it('the route list covers every group: developer API, cloud gateway, runtime and control', () => {
  const paths = ops.map((o) => `${o.method} ${o.path}`);
  for (const p of ['GET /sns/jscode2session', 'GET /qq/api/getToken', 'POST /tcb/admin', 'POST /openrun/runtime/v1/apps/{appid}/werun', 'POST /openrun/control/v1/scenario']) {
    expect(paths).toContain(p);
  }
  expect(ops.length).toBeGreaterThan(50);
});

it('hostile requests on every route: no 5xx, every reply in its route group\'s shape', async () => {
  for (const op of ops) {
    const t0 = performance.now();
    await fc.assert(
      fc.asyncProperty(requestsFor(op), async (generated) => {
        const req = materialise(op, generated, { value: (name) => fixtures[name] ?? 'x' });
        const r = await app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, ...(req.body === undefined ? {} : { payload: req.body }) });
        const problem = replyProblem(op, r.statusCode, String(r.headers['content-type'] ?? ''), r.body);
        if (problem) failures.push(`${req.method} ${req.url.slice(0, 120)} [${req.headers['content-type'] ?? '-'}] ${String(req.body ?? '').slice(0, 80)} → ${problem}`);
        if (op.method === 'POST' && op.path.endsWith('/faults')) await call('DELETE', '/openrun/control/v1/faults');
        if (op.path.startsWith('/openrun/control/v1/clock')) await call('PUT', '/openrun/control/v1/clock', { frozen: false, now: Date.now() });
        if (RESETS.test(op.path) || RESETS.test(`${op.method} ${op.path}`)) {
          if (r.statusCode < 300) await makeFixtures();
        }
        return problem === undefined;
      }),
      { numRuns: RUNS_PER_ROUTE, seed: SEED, endOnFailure: true },
    ).catch(() => undefined);
    if (process.env.FUZZ_TIMING) console.log(`${op.method} ${op.path}: ${(performance.now() - t0).toFixed(0)} ms`);
  }
  expect(failures).toEqual([]);
}, 120_000);

it('the platform is healthy afterwards: a whole login, code exchange and WeRun read work', async () => {
  await call('POST', '/openrun/control/v1/reset');
  await makeFixtures();
  const r = await call('GET', `/sns/jscode2session?appid=${fixtures.appid}&secret=${fixtures.secret}&js_code=${fixtures.code}&grant_type=authorization_code`);
  expect(r.json().openid).toMatch(/^o/);
  const werun = await call('POST', `/openrun/runtime/v1/apps/${fixtures.appid}/werun`, undefined, { authorization: `Bearer ${fixtures.deviceToken}` });
  expect(werun.status).toBe(200);
  expect((await call('GET', '/openrun/control/v1/clock')).status).toBe(200);
});
