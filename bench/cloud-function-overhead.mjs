// Cloud-function call overhead: the latency of a warm `wx.cloud.callFunction` (client SDK → platform runtime API →
// warm worker process → result) against calling the same `main` in-process with the same event, both sequential, in the
// same run. Prints `name: ratio` (p50 through OpenRun ÷ p50 in-process) and the milliseconds OpenRun adds at p50 and
// p90; writes bench/results/cloud-function-overhead.json. Target (issue 5): ≤ 2 ms added at p50.
// Run after `npm run build`: node bench/cloud-function-overhead.mjs [--calls N]
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { connect } from '@openrun/client';
import { buildPlatform, listenPlatform } from '@openrun/platform';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CALLS = arg('calls', 2000);
const WARMUP = Math.min(300, Math.floor(CALLS / 5));
const here = dirname(fileURLToPath(import.meta.url));
const functionsDir = join(here, 'functions');

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const summarize = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99) };
};
async function time(n, fn) {
  const samples = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

const event = { days: Array.from({ length: 31 }, (_, i) => 3000 + ((i * 7919) % 9000)) };

// Through OpenRun.
const platform = buildPlatform({ memory: true, functionsDir });
const baseUrl = await listenPlatform(platform, { host: '127.0.0.1', port: 0 });
const control = async (method, path, body) => {
  const r = await platform.inject({ method, url: `/openrun/control/v1${path}`, payload: body });
  if (r.statusCode >= 300) throw new Error(`${method} ${path}: ${r.body}`);
  return r.json();
};
const app = await control('POST', '/apps', { platform: 'weapp', cloud: true });
const user = await control('POST', '/users', {});
const wx = connect({ baseUrl, appid: app.appid, deviceToken: user.deviceToken, platform: 'weapp' });
wx.cloud.init();
const viaOpenRun = () => wx.cloud.callFunction({ name: 'steps-total', data: event });
const check = await viaOpenRun();
if (check.result.total !== event.days.reduce((a, b) => a + b, 0)) throw new Error(`wrong result ${JSON.stringify(check)}`);

// In-process: the same main with the same per-call environment the worker sets.
const require = createRequire(join(functionsDir, 'steps-total', 'index.js'));
Object.assign(process.env, {
  TENCENTCLOUD_RUNENV: 'SCF',
  TENCENTCLOUD_REGION: 'ap-shanghai',
  TCB_ENV: app.cloudEnv,
  SCF_NAMESPACE: app.cloudEnv,
  TENCENTCLOUD_SECRETID: 'x',
  TENCENTCLOUD_SECRETKEY: 'x',
  WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID',
  WX_OPENID: check.result.openid,
  WX_APPID: app.appid,
});
const { main } = require(join(functionsDir, 'steps-total', 'index.js'));
const inProcess = () => main(JSON.parse(JSON.stringify(event)), {});

// Interleave blocks so machine noise hits both sides alike.
const openrunSamples = [];
const inProcessSamples = [];
await time(WARMUP, viaOpenRun);
await time(WARMUP, inProcess);
for (let block = 0; block < 10; block++) {
  openrunSamples.push(...(await time(CALLS / 10, viaOpenRun)));
  inProcessSamples.push(...(await time(CALLS / 10, inProcess)));
}
await platform.close();

const openrun = summarize(openrunSamples);
const local = summarize(inProcessSamples);
const result = {
  name: 'callFunction_warm',
  ratio: openrun.p50 / local.p50,
  addedMsP50: openrun.p50 - local.p50,
  addedMsP90: openrun.p90 - local.p90,
  openrunMs: openrun,
  inProcessMs: local,
};
console.log(
  `${result.name}: ${result.ratio.toFixed(1)}  (p50 ${openrun.p50.toFixed(3)} ms vs in-process ${local.p50.toFixed(4)} ms; ` +
    `added ${result.addedMsP50.toFixed(3)} ms at p50, ${result.addedMsP90.toFixed(3)} ms at p90)`,
);

const out = join(here, 'results', 'cloud-function-overhead.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      benchmark: 'cloud-function-overhead',
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      calls: CALLS,
      target: 'added <= 2 ms at p50',
      results: [result],
    },
    null,
    2,
  )}\n`,
);
console.log(`results: ${out}`);
