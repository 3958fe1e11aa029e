// Platform throughput: requests per second of jscode2session, getopendata (5 ids), the runtime werun call and
// /cgi-bin/token (with 1k and with 50k tokens issued before; plain HTTP only) on the embedded SQLite store, each against a bare Fastify route answering a body of the same size, measured in the same run
// with the same load generator, which runs in a worker thread so it does not share the server's core. The same three
// calls are then measured over the TLS port and through a CONNECT tunnel on the platform port (keep-alive, TLS from
// the local CA, as an HTTPS_PROXY client), as ratios to the plain-HTTP figures of the same run (`<name>_tls`,
// `<name>_connect`); werun, OpenRun's own runtime API and not on api.weixin.qq.com, over the TLS port as localhost only. Prints `name: ratio` lines (each also with the CPU time per request against the baseline's, a figure
// a busy machine disturbs less) and writes bench/results/platform-throughput.json, with the load average.
// Run after `npm run build`: node bench/platform-throughput.mjs [--requests N] [--concurrency C] [--warmup W] [--only a,b]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import { buildPlatform, listenPlatform, listenPlatformTls } from '@openrun/platform';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REQUESTS = arg('requests', 3000);
const CONCURRENCY = arg('concurrency', 16);
const WARMUP = arg('warmup', Math.min(300, Math.floor(REQUESTS / 10)));
const loadBefore = loadavg();

/**
 * Sends every request with `CONCURRENCY` in flight from a worker thread (its own core, like a real client). Also
 * reports the process's CPU time per request (server and load generator together: the generator's share is the same
 * for a route and its baseline), which a busy machine disturbs far less than requests per second.
 */
function load(base, requests, tlsOptions = {}) {
  return new Promise((resolve, reject) => {
    const before = process.cpuUsage();
    const worker = new Worker(new URL('./load-generator.mjs', import.meta.url), {
      workerData: { base, requests, concurrency: CONCURRENCY, ...tlsOptions },
    });
    worker.once('message', (result) => {
      const cpu = process.cpuUsage(before);
      resolve({ ...result, cpuUsPerRequest: (cpu.user + cpu.system) / requests.length });
    });
    worker.once('error', reject);
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'openrun-bench-'));
const platform = buildPlatform({ dataDir, sessionRotationMinSeconds: 86400, tokenDailyQuota: 0 });
const base = await listenPlatform(platform, { host: '127.0.0.1', port: 0 });
const tlsBase = await listenPlatformTls(platform, { host: '127.0.0.1', port: 0 });
const ca = (await platform.tlsGateway.ca()).certPem;
const secure = {
  tls: { base: tlsBase, options: { transport: 'https', ca, servername: 'api.weixin.qq.com' } },
  connect: { base, options: { transport: 'connect', ca, servername: 'api.weixin.qq.com' } },
};
const inject = async (method, url, payload, headers) => {
  const r = await platform.inject({ method, url, payload, headers });
  if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.body}`);
  return r.json();
};
await inject('PUT', '/openrun/control/v1/clock', { now: '2026-11-21T04:00:00Z', frozen: true });
const app = await inject('POST', '/openrun/control/v1/apps', { platform: 'weapp', cloud: true });

// jscode2session: one fresh code per request (plain, TLS, tunnel), spread over users to stay under 100 exchanges per user per minute.
const total = (REQUESTS + WARMUP) * 3;
const codes = [];
for (let u = 0; u * 90 < total; u++) {
  const user = await inject('POST', '/openrun/control/v1/users', {});
  for (let i = 0; i < 90 && codes.length < total; i++) {
    const { code } = await inject('POST', `/openrun/runtime/v1/apps/${app.appid}/login`, undefined, { authorization: `Bearer ${user.deviceToken}` });
    codes.push(code);
  }
}
const c2s = codes.map((code) => ({
  method: 'GET',
  path: `/sns/jscode2session?appid=${app.appid}&secret=${app.secret}&js_code=${code}&grant_type=authorization_code`,
}));

// werun and getopendata: one user with 60 days of history.
const walker = await inject('POST', '/openrun/control/v1/users', {});
const today = new Date(Date.parse('2026-11-21T04:00:00Z') + 8 * 3600e3);
const days = Array.from({ length: 60 }, (_, i) => ({
  date: new Date(today.getTime() - i * 86400e3).toISOString().slice(0, 10),
  steps: 3000 + ((i * 7919) % 9000),
}));
await inject('PUT', `/openrun/control/v1/users/${walker.id}/steps`, { days });
const auth = { authorization: `Bearer ${walker.deviceToken}` };
await inject('POST', `/openrun/runtime/v1/apps/${app.appid}/login`, undefined, auth);
const werunRequest = { method: 'POST', path: `/openrun/runtime/v1/apps/${app.appid}/werun`, headers: auth };
const cloudIds = [];
for (let i = 0; i < 5; i++) cloudIds.push((await inject('POST', werunRequest.path, undefined, auth)).cloudID);
const { access_token } = await inject('GET', `/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`);
const godBody = JSON.stringify({ cloudid_list: cloudIds });
const godRequest = { method: 'POST', path: `/wxa/getopendata?access_token=${access_token}`, body: godBody };

// /cgi-bin/token: its own app, with past tokens issued straight into the store before each run (1k, then 50k).
const tokenApp = await inject('POST', '/openrun/control/v1/apps', { platform: 'weapp' });
const tokenRequest = { method: 'GET', path: `/cgi-bin/token?grant_type=client_credential&appid=${tokenApp.appid}&secret=${tokenApp.secret}` };
let issuedBefore = 0;
async function issuePastTokens(count) {
  const now = platform.openrun.clock.now();
  for (; issuedBefore < count; issuedBefore++) {
    await platform.openrun.ephemeral.issueAccessToken(
      { token: platform.openrun.ids.accessToken(), appid: tokenApp.appid, kind: 'normal', issuedAt: now, expiresAt: now + 7_200_000, supersededUntil: null },
      now + 300_000,
    );
  }
}

const perRun = REQUESTS + WARMUP;
const scenarios = [
  { name: 'jscode2session', requests: c2s.slice(0, perRun), tls: c2s.slice(perRun, 2 * perRun), connect: c2s.slice(2 * perRun) },
  { name: 'getopendata_5_ids', requests: Array.from({ length: perRun }, () => godRequest) },
  // The runtime API is OpenRun's own (not on api.weixin.qq.com): over the TLS port under the name localhost, and no tunnel.
  { name: 'runtime_werun', secureKinds: ['tls'], secureName: 'localhost', requests: Array.from({ length: perRun }, () => werunRequest) },
  { name: 'cgi_bin_token_1k_issued', plainOnly: true, before: () => issuePastTokens(1000), requests: Array.from({ length: perRun }, () => tokenRequest) },
  { name: 'cgi_bin_token_50k_issued', plainOnly: true, before: () => issuePastTokens(50_000), requests: Array.from({ length: perRun }, () => tokenRequest) },
];
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : undefined;

const results = [];
for (const s of scenarios) {
  if (only && !only.includes(s.name)) continue;
  await s.before?.();
  await load(base, s.requests.slice(0, WARMUP));
  const subject = await load(base, s.requests.slice(WARMUP));

  // Baseline: a bare Fastify route answering a body of the same size to the same method and request body.
  const bare = Fastify();
  const payload = JSON.stringify({ pad: 'x'.repeat(Math.max(0, subject.meanBytes - 10)) });
  bare.route({ method: ['GET', 'POST'], url: '/*', handler: async (_req, reply) => reply.type('application/json').send(payload) });
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const bareBase = `http://127.0.0.1:${bare.server.address().port}`;
  const bareRequests = s.requests.map((r) => ({ ...r }));
  await load(bareBase, bareRequests.slice(0, WARMUP));
  const baseline = await load(bareBase, bareRequests.slice(WARMUP));
  await bare.close();

  const ratio = subject.rps / baseline.rps;
  const cpuRatio = baseline.cpuUsPerRequest / subject.cpuUsPerRequest;
  results.push({
    name: s.name, ratio, rps: subject.rps, baselineRps: baseline.rps, bodyBytes: subject.meanBytes,
    cpuRatio, cpuUsPerRequest: subject.cpuUsPerRequest, baselineCpuUsPerRequest: baseline.cpuUsPerRequest,
  });
  console.log(
    `${s.name}: ${ratio.toFixed(2)}  (${subject.rps.toFixed(0)} req/s vs bare ${baseline.rps.toFixed(0)} req/s, ${subject.meanBytes} B bodies;` +
      ` CPU ${subject.cpuUsPerRequest.toFixed(0)} vs ${baseline.cpuUsPerRequest.toFixed(0)} µs/request, ratio ${cpuRatio.toFixed(2)})`,
  );

  // The same call over the TLS port and through the proxy, against this run's plain-HTTP figure.
  for (const kind of s.plainOnly ? [] : (s.secureKinds ?? ['tls', 'connect'])) {
    const list = s[kind] ?? s.requests;
    const { base: target, options: named } = secure[kind];
    const options = s.secureName ? { ...named, servername: s.secureName } : named;
    await load(target, list.slice(0, WARMUP), options);
    const over = await load(target, list.slice(WARMUP), options);
    const r = over.rps / subject.rps;
    results.push({ name: `${s.name}_${kind}`, ratio: r, rps: over.rps, baselineRps: subject.rps, baseline: 'plain HTTP, same call', bodyBytes: over.meanBytes });
    console.log(`${s.name}_${kind}: ${r.toFixed(2)}  (${over.rps.toFixed(0)} req/s vs plain HTTP ${subject.rps.toFixed(0)} req/s)`);
  }
}

await platform.close();
rmSync(dataDir, { recursive: true, force: true });

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'platform-throughput.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      benchmark: 'platform-throughput',
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      target: 'against the bare route: jscode2session, getopendata, /cgi-bin/token >= 0.6 (token flat from 1k to 50k), werun >= 0.5; _tls and _connect >= 0.6 against plain HTTP',
      loadAverage: { before: loadBefore, after: loadavg() },
      results,
    },
    null,
    2,
  )}\n`,
);
console.log(`results: ${out}`);
