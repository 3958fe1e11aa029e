// Large stores: seeds users × 31 days into one file-backed embedded store, growing it size by size (default 1k and
// 100k; 1M with --sizes 1000,100000,1000000), and at each size runs the request mix (runtime login → jscode2session →
// werun → getopendata) at fixed concurrency from a worker thread. Prints seeding rows/s, peak RSS, file size, p50/p99
// and req/s as `name: ratio` lines against the figures at the first size measured in the same run; at the largest size
// also GET /users?limit=100 (and a q= search), the slowest GET /clock and the slowest write (POST /users) while a
// 10k-user generate runs, the longest the server's event loop was held meanwhile, a streamed export (time and peak RSS
// above the level before it) and the start-up time on the store. Seeding also records the server thread's CPU time, its
// time waiting for a CPU (Linux schedstat: on a shared machine, most of the gap between wall and CPU time) and the
// longest the event loop was held while seeding. Writes bench/results/scale-users.json.
// Run after `npm run build`: node bench/scale-users.mjs [--sizes 1000,100000] [--requests 4000] [--concurrency 8]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { buildPlatform, listenPlatform } from '@openrun/platform';
import Database from 'better-sqlite3';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SIZES = arg('sizes', '1000,100000').split(',').map(Number);
const REQUESTS = Number(arg('requests', 4000));
const CONCURRENCY = Number(arg('concurrency', 8));
const DAYS = 31;
const GENERATE_CALL = 10_000;
const TOKEN = 'bench-control-token';
const MB = 1024 * 1024;

const dataDir = mkdtempSync(join(tmpdir(), 'openrun-scale-'));
const file = join(dataDir, 'openrun.sqlite');
/** The database file once its WAL is copied back in (what stays on disk). */
const fileBytes = () => {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
};
const options = { dataDir, sessionRotationMinSeconds: 86400, controlToken: TOKEN };
let platform = buildPlatform(options);
let base = await listenPlatform(platform, { host: '127.0.0.1', port: 0 });
const auth = { authorization: `Bearer ${TOKEN}` };
const inject = async (method, url, payload) => {
  const r = await platform.inject({ method, url: `/openrun/control/v1${url}`, payload, headers: auth });
  if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.body}`);
  return r.json();
};

function worker(data) {
  const w = new Worker(new URL('./scale-users-client.mjs', import.meta.url), { workerData: { base, ...data } });
  return w;
}
const mix = (tokens, app, accessToken) =>
  new Promise((resolve, reject) => {
    const w = worker({ mode: 'mix', tokens, requests: REQUESTS, concurrency: CONCURRENCY, appid: app.appid, secret: app.secret, accessToken });
    w.once('message', resolve);
    w.once('error', reject);
  });

/** Seconds this (the server's) thread ran and waited for a CPU so far, from Linux schedstat (undefined elsewhere). */
const schedSeconds = () => {
  try {
    const [run, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { run: run / 1e9, wait: wait / 1e9 };
  } catch {
    return undefined;
  }
};
/** Longest the event loop was held (ms) while `work` ran, and what `work` returned. */
async function heldDuring(work) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const result = await work();
  h.disable();
  return { heldMs: h.max / 1e6, result };
}

/** Runs `work` while a worker sends `method` `path` back to back; returns the slowest answer (ms). */
async function slowestDuring(path, work, request = {}) {
  const w = worker({ mode: 'probe', path, ...request });
  await new Promise((r) => w.once('message', r));
  const done = new Promise((resolve, reject) => {
    w.on('message', (m) => m.slowest !== undefined && resolve(m));
    w.once('error', reject);
  });
  await work();
  w.postMessage('stop');
  const probe = await done;
  await w.terminate();
  return probe;
}

const app = await inject('POST', '/apps', { platform: 'weapp', cloud: true });
const tokenReply = await (await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`)).json();
const tokens = [];
const keep = (users) => {
  for (const u of users) {
    if (tokens.length < 20_000) tokens.push(u.deviceToken);
    else tokens[Math.floor(Math.random() * tokens.length)] = u.deviceToken;
  }
};

const rows = [];
let seeded = 0;
for (const size of SIZES) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const schedStarted = schedSeconds();
  const from = seeded;
  const { heldMs: seedHeldMs } = await heldDuring(async () => {
    while (seeded < size) {
      const count = Math.min(GENERATE_CALL, size - seeded);
      keep((await inject('POST', '/users/generate', { count, days: DAYS })).users);
      seeded += count;
    }
  });
  const seedSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const sched = schedSeconds();
  const seedCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const cpuMix = process.cpuUsage();
  const m = await mix(tokens, app, tokenReply.access_token);
  const mixCpu = process.cpuUsage(cpuMix);
  const row = {
    users: size,
    seedSeconds,
    seedRowsPerSecond: ((size - from) * DAYS) / seedSeconds,
    // CPU time of this process (server and seeding client): steadier than wall time on a shared machine.
    seedCpuSeconds,
    seedRowsPerCpuSecond: ((size - from) * DAYS) / seedCpuSeconds,
    // The server thread alone: running, and ready but waiting for a CPU (the machine is shared); the rest of the wall
    // time it was blocked (I/O, or idle between calls).
    seedThreadRunSeconds: sched && schedStarted ? sched.run - schedStarted.run : null,
    seedThreadRunQueueSeconds: sched && schedStarted ? sched.wait - schedStarted.wait : null,
    // Longest the event loop was held while seeding (what any request waited at worst, besides its own work).
    seedEventLoopHeldMs: seedHeldMs,
    fileMB: fileBytes() / MB,
    rssMB: process.memoryUsage().rss / MB,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    rps: m.rps,
    // CPU time of the process (server and load thread) per request of the mix: steadier than req/s on a shared machine.
    cpuMsPerRequest: (mixCpu.user + mixCpu.system) / 1000 / REQUESTS,
    p50ms: m.p50,
    p99ms: m.p99,
  };
  rows.push(row);
  const runQueue = row.seedThreadRunQueueSeconds === null ? '' : `, ${row.seedThreadRunQueueSeconds.toFixed(1)} s waiting for a CPU`;
  console.log(`# ${size} users: seeded in ${seedSeconds.toFixed(1)} s (${Math.round(row.seedRowsPerSecond)} rows/s, ${seedCpuSeconds.toFixed(1)} CPU s${runQueue}, ` +
    `event loop held at most ${seedHeldMs.toFixed(0)} ms), file ${row.fileMB.toFixed(0)} MB, ` +
    `rss ${row.rssMB.toFixed(0)} MB, mix ${m.rps.toFixed(0)} req/s (${row.cpuMsPerRequest.toFixed(2)} CPU ms each) p50 ${m.p50.toFixed(2)} ms p99 ${m.p99.toFixed(2)} ms`);
}

// At the largest size.
const time = async (fn, n = 10) => {
  const t = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(n / 2)];
};
const usersPageMs = await time(async () => (await fetch(`${base}/openrun/control/v1/users?limit=100`)).text());
const prefix = encodeURIComponent(tokens[0].slice(0, 12));
const searchMs = await time(async () => (await fetch(`${base}/openrun/control/v1/users?limit=100&q=${prefix}`)).text());
// A search looks at a window of users per page: follow the cursors to the match.
let searchPages = 0;
for (let cursor = '', found = false; !found; searchPages++) {
  const page = await (await fetch(`${base}/openrun/control/v1/users?limit=100&q=${prefix}${cursor}`)).json();
  found = page.users.length > 0;
  if (!found && !page.nextCursor) throw new Error('q= did not find the user by device-token prefix');
  cursor = `&cursor=${page.nextCursor}`;
}

// The same probe with nothing else running: what a request waits on this machine anyway.
const idleProbe = await slowestDuring('/openrun/control/v1/clock', () => new Promise((r) => setTimeout(r, 3000)));
let generateHeldMs = 0;
let writeProbe;
const generateProbe = await slowestDuring('/openrun/control/v1/clock', async () => {
  // A write made meanwhile waits until the generate's transaction commits (one transaction: all or nothing).
  writeProbe = await slowestDuring('/openrun/control/v1/users', async () => {
    ({ heldMs: generateHeldMs } = await heldDuring(async () => {
      keep((await inject('POST', '/users/generate', { count: GENERATE_CALL, days: DAYS })).users);
      seeded += GENERATE_CALL;
    }));
  }, { method: 'POST', body: {}, headers: auth });
});
seeded += writeProbe.count;

global.gc?.();
const rssBeforeExport = process.memoryUsage().rss;
let rssPeakExport = rssBeforeExport;
const sampler = setInterval(() => (rssPeakExport = Math.max(rssPeakExport, process.memoryUsage().rss)), 20);
let exportBytes = 0;
let exportSeconds = 0;
const exportProbe = await slowestDuring('/openrun/control/v1/clock', async () => {
  const started = performance.now();
  const res = await fetch(`${base}/openrun/control/v1/export`);
  for await (const chunk of res.body) exportBytes += chunk.length;
  exportSeconds = (performance.now() - started) / 1000;
});
clearInterval(sampler);

await platform.close();
const startStarted = performance.now();
platform = buildPlatform(options);
base = await listenPlatform(platform, { host: '127.0.0.1', port: 0 });
await (await fetch(`${base}/openrun/control/v1/clock`)).text();
const startupMs = performance.now() - startStarted;
await platform.close();
rmSync(dataDir, { recursive: true, force: true });

const first = rows[0];
const last = rows[rows.length - 1];
const ratios = {
  seed_rows_per_s: last.seedRowsPerSecond / first.seedRowsPerSecond,
  seed_rows_per_cpu_s: last.seedRowsPerCpuSecond / first.seedRowsPerCpuSecond,
  mix_p99: last.p99ms / first.p99ms,
  mix_rps: last.rps / first.rps,
  mix_cpu_per_request: last.cpuMsPerRequest / first.cpuMsPerRequest,
  file_size_per_user: last.fileMB / last.users / (first.fileMB / first.users),
};
for (const [name, ratio] of Object.entries(ratios)) console.log(`${name}: ${ratio.toFixed(2)}`);
const largest = {
  users: seeded,
  usersPageMs,
  usersSearchPageMs: searchMs,
  usersSearchPagesToMatch: searchPages,
  slowestClockIdleMs: idleProbe.slowest,
  slowestClockDuringGenerateMs: generateProbe.slowest,
  clockProbesDuringGenerate: generateProbe.count,
  eventLoopHeldDuringGenerateMs: generateHeldMs,
  slowestWriteDuringGenerateMs: writeProbe.slowest,
  writeProbesDuringGenerate: writeProbe.count,
  slowestClockDuringExportMs: exportProbe.slowest,
  exportMB: exportBytes / MB,
  exportSeconds,
  exportPeakRssAboveBeforeMB: (rssPeakExport - rssBeforeExport) / MB,
  exportPeakRssMB: rssPeakExport / MB,
  startupMs,
};
console.log(`# largest (${seeded} users): GET /users?limit=100 ${usersPageMs.toFixed(1)} ms, q= ${searchMs.toFixed(1)} ms a page (${searchPages} pages to the match); ` +
  `slowest GET /clock idle ${idleProbe.slowest.toFixed(0)} ms, ` +
  `during a ${GENERATE_CALL}-user generate slowest GET /clock ${generateProbe.slowest.toFixed(0)} ms (${generateProbe.count} probes), ` +
  `slowest POST /users ${writeProbe.slowest.toFixed(0)} ms (${writeProbe.count}), event loop held ${generateHeldMs.toFixed(0)} ms; ` +
  `during export ${exportProbe.slowest.toFixed(0)} ms; export ${largest.exportMB.toFixed(0)} MB in ${exportSeconds.toFixed(1)} s, ` +
  `peak RSS ${largest.exportPeakRssMB.toFixed(0)} MB (+${largest.exportPeakRssAboveBeforeMB.toFixed(0)} MB); start-up ${startupMs.toFixed(0)} ms`);

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'scale-users.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      benchmark: 'scale-users',
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      days: DAYS,
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      targets: 'seeding 1M × 31 days < 120 s; p99 at 1M ≤ 1.5× and req/s ≥ 0.8× of 1k; export of 1M with peak RSS < 300 MB; no request waits > 200 ms behind bulk work',
      ratios,
      sizes: rows,
      largest,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${out}`);
