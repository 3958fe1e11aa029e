// The long run of the route fuzzer (the same generator as the fuzz test, bench/lib/route-fuzz.mjs) against a
// listening, file-backed platform over real HTTP. Prints `name: ratio` lines — the share of replies in their route
// group's shape (target 1.00) and the request rate against a bare Fastify route in the same run — and writes
// bench/results/fuzz-routes.json. Run after `npm run build`: node bench/fuzz-routes.mjs [--runs N] [--seed S]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import Fastify from 'fastify';
import { buildPlatform, listenPlatform } from '@openrun/platform';
import { materialise, operationsOf, replyProblem, requestsFor } from './lib/route-fuzz.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 1000);
const SEED = arg('seed', Date.now() % 2 ** 31);

const dataDir = mkdtempSync(join(tmpdir(), 'openrun-fuzz-'));
const platform = buildPlatform({ dataDir, tokenDailyQuota: 0 });
const base = await listenPlatform(platform, { host: '127.0.0.1', port: 0 });

async function send(method, url, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    if (typeof body !== 'string' && !Buffer.isBuffer(body)) init.headers['content-type'] = 'application/json';
  }
  const r = await fetch(base + url, init);
  return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text() };
}
const json = async (...a) => JSON.parse((await send(...a)).text || '{}');

let fixtures = {};
async function makeFixtures() {
  const wx = await json('POST', '/openrun/control/v1/apps', { platform: 'weapp', cloud: true });
  const user = await json('POST', '/openrun/control/v1/users', { promptAnswer: 'accept' });
  const { code } = await json('POST', `/openrun/runtime/v1/apps/${wx.appid}/login`, undefined, { authorization: `Bearer ${user.deviceToken}` });
  const { access_token } = await json('GET', `/cgi-bin/token?grant_type=client_credential&appid=${wx.appid}&secret=${wx.secret}`);
  fixtures = { appid: wx.appid, secret: wx.secret, id: user.id, deviceToken: user.deviceToken, js_code: code, code, access_token, grant_type: 'client_credential', name: 'sum' };
}
await makeFixtures();
const ops = operationsOf(await json('GET', '/openrun/openapi.json'));
const RESETS = /\/(reset|import|scenario)$/;

let requests = 0;
let wrong = 0;
const problems = [];
const started = performance.now();
for (const op of ops) {
  await fc.assert(
    fc.asyncProperty(requestsFor(op), async (generated) => {
      const req = materialise(op, generated, { value: (n) => fixtures[n] ?? 'x' });
      let r;
      try {
        r = await send(req.method, req.url, req.body, req.headers);
      } catch (error) {
        r = { status: 599, type: '', text: `connection failed: ${error.cause?.code ?? error.message}` };
      }
      requests++;
      const problem = replyProblem(op, r.status, r.type, r.text);
      if (problem) {
        wrong++;
        if (problems.length < 50) problems.push(`${req.method} ${req.url.slice(0, 100)} → ${problem}`);
      }
      if (op.method === 'POST' && op.path.endsWith('/faults')) await send('DELETE', '/openrun/control/v1/faults');
      if (op.path.startsWith('/openrun/control/v1/clock')) await send('PUT', '/openrun/control/v1/clock', { frozen: false, now: Date.now() });
      if ((RESETS.test(op.path) || (op.method === 'DELETE' && op.path === '/openrun/control/v1/users/{id}')) && r.status < 300) await makeFixtures();
      return true;
    }),
    { numRuns: RUNS, seed: SEED },
  );
}
const seconds = (performance.now() - started) / 1000;
const healthy = (await send('GET', '/openrun/control/v1/apps')).status === 200;
await platform.close();
rmSync(dataDir, { recursive: true, force: true });

// Baseline: a bare Fastify route answering the same number of small requests over the same HTTP client.
const bare = Fastify();
bare.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/*', handler: async () => ({ ok: true }) });
await bare.listen({ host: '127.0.0.1', port: 0 });
const bareBase = `http://127.0.0.1:${bare.server.address().port}`;
const bareStart = performance.now();
for (let i = 0; i < Math.min(requests, 20000); i++) await (await fetch(`${bareBase}/x`)).text();
const bareRps = Math.min(requests, 20000) / ((performance.now() - bareStart) / 1000);
await bare.close();

const inShape = (requests - wrong) / requests;
const rateRatio = requests / seconds / bareRps;
console.log(`fuzz_replies_in_shape: ${inShape.toFixed(4)}  (${requests - wrong} of ${requests} requests over ${ops.length} routes, seed ${SEED}; healthy afterwards: ${healthy})`);
console.log(`fuzz_request_rate: ${rateRatio.toFixed(2)}  (${(requests / seconds).toFixed(0)} hostile req/s vs bare ${bareRps.toFixed(0)} req/s, sequential)`);
for (const p of problems) console.log(`  ${p}`);

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'fuzz-routes.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ benchmark: 'fuzz-routes', date: new Date().toISOString(), node: process.version, cpus: cpus().length, runsPerRoute: RUNS, seed: SEED, routes: ops.length, requests, wrong, healthy, results: [{ name: 'fuzz_replies_in_shape', ratio: inShape }, { name: 'fuzz_request_rate', ratio: rateRatio }], problems }, null, 2)}\n`,
);
console.log(`results: ${out}`);
process.exitCode = wrong === 0 && healthy ? 0 : 1;
