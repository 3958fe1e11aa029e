// Large stores: seeds users × 31 days into one file-backed embedded store, growing it size by size (default 1k and
// 100k; 1M with --sizes 1000,100000,1000000), and at each size runs the request mix (runtime login → jscode2session →
// werun → getopendata) at fixed concurrency from a worker thread. Prints seeding rows/s, peak RSS, file size, p50/p99
// and req/s as `name: ratio` lines against the figures at the first size measured in the same run (the mix there is
// measured twice, first and last, and the better figure is the baseline); at the largest size also GET /users?limit=100
// (and a q= search), the slowest GET /clock and the slowest write (POST /users) while a 10k-user generate runs, the
// longest the server's event loop was held meanwhile, and, on a server process of its own started on the store
// (bench/scale-users-server.mjs, as `openrun start` would be), its start-up time and a streamed export (time, the
// server's peak RSS, the slowest GET /clock meanwhile). Seeding also records the server thread's CPU time, its time
// waiting for a CPU (Linux schedstat: on a shared machine, most of the gap between wall and CPU time) and the longest
// the event loop was held while seeding. Before each measured mix a warm-up mix of the same length on an app of its
// own, and the WAL is copied back into the file, so no size is measured cold or behind the seeding's checkpoint.
// Writes bench/results/scale-users.json.
// Run after `npm run build`: node bench/scale-users.mjs [--sizes 1000,100000] [--requests 4000] [--concurrency 8]
//   [--warmups N] (warm-up mixes before each measured mix, default 3) [--reuse DIR]: keep the seeded store of each size in DIR/<size>/ and measure a copy of it, so a later run with
//   the same DIR skips seeding the sizes it finds (their seeding figures are those of the run that seeded them).
import {
  closeSync, cpSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { execFileSync, fork } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
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
const WARMUPS = Number(arg('warmups', 3));
const DAYS = 31;
const GENERATE_CALL = 10_000;
const TOKEN = 'bench-control-token';
const MB = 1024 * 1024;

const loadAtStart = loadavg();
const scratch = mkdtempSync(join(tmpdir(), 'openrun-scale-'));
const REUSE = arg('reuse', undefined);
/** Where the seeded store of each size is kept (DIR/<size>/), never measured on directly. */
const keptRoot = REUSE ?? join(scratch, 'kept');
const keptDir = (size) => join(keptRoot, String(size));
const sqliteFile = (dir) => join(dir, 'openrun.sqlite');
/** The database file once its WAL is copied back in (what stays on disk). */
const fileBytes = (dir) => {
  const file = sqliteFile(dir);
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
};
const options = { sessionRotationMinSeconds: 86400, controlToken: TOKEN };
let platform;
let base;
const openPlatform = async (dataDir) => {
  platform = buildPlatform({ ...options, dataDir });
  base = await listenPlatform(platform, { host: '127.0.0.1', port: 0 });
};
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
const mix = (tokens, app, accessToken, requests = REQUESTS) =>
  new Promise((resolve, reject) => {
    const w = worker({ mode: 'mix', tokens, requests, concurrency: CONCURRENCY, appid: app.appid, secret: app.secret, accessToken });
    w.once('message', resolve);
    w.once('error', reject);
  });
/** A new app of the platform at `base` and an access token for it. */
const mixApp = async () => {
  const created = await fetch(`${base}/openrun/control/v1/apps`, {
    method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'weapp', cloud: true }),
  });
  const app = await created.json();
  const token = await (await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`)).json();
  return { app, accessToken: token.access_token };
};
/**
 * Warm-up mixes (WARMUPS of them, each as long as the measured mix, on an app of its own, so that the measured mix
 * still makes its first logins), then the measured mix. One warm-up was not enough: the JIT kept speeding the process
 * up for about three mixes (at 1M users: 2750, 2780, 3240, 3650, 3650 req/s for five mixes in a row), so a size measured
 * after one warm-up looked slower than the same size measured later in the run; every size gets the same warm-up. The
 * first size is still measured again at the end, and the better figure is its baseline.
 */
const warmAndMix = async (tokens) => {
  for (let i = 0; i < WARMUPS; i++) {
    const warm = await mixApp();
    await mix(tokens, warm.app, warm.accessToken);
  }
  const measured = await mixApp();
  const cpuStarted = process.cpuUsage();
  const m = await mix(tokens, measured.app, measured.accessToken);
  const cpu = process.cpuUsage(cpuStarted);
  return { ...m, cpuMs: (cpu.user + cpu.system) / 1000 };
};

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

/** Device tokens of up to 20,000 users drawn at random from the store in `dir`. */
const sampleTokens = (dir) => {
  const db = new Database(sqliteFile(dir), { readonly: true });
  const tokens = db.prepare('SELECT device_token AS t FROM users ORDER BY random() LIMIT 20000').pluck().all();
  db.close();
  return tokens;
};

/** Brings the kept store of `size` users into being (from the previous size's), unless it exists; its seeding figures. */
async function seedKept(size, previous) {
  const dir = keptDir(size);
  const figures = join(dir, 'seed.json');
  if (existsSync(figures)) return { ...JSON.parse(readFileSync(figures, 'utf8')), seededThisRun: false };
  rmSync(dir, { recursive: true, force: true });
  if (previous !== undefined) cpSync(keptDir(previous), dir, { recursive: true });
  else mkdirSync(dir, { recursive: true });
  rmSync(join(dir, 'seed.json'), { force: true });
  await openPlatform(dir);
  let seeded = await platform.openrun.durable.countUsers();
  const from = seeded;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const schedStarted = schedSeconds();
  const { heldMs: seedHeldMs } = await heldDuring(async () => {
    while (seeded < size) {
      const count = Math.min(GENERATE_CALL, size - seeded);
      await inject('POST', '/users/generate', { count, days: DAYS });
      seeded += count;
    }
  });
  const seedSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const sched = schedSeconds();
  await platform.close();
  const result = {
    users: size, seededUsers: size - from, seedSeconds, seedCpuSeconds: (cpu.user + cpu.system) / 1e6,
    seedThreadRunSeconds: sched && schedStarted ? sched.run - schedStarted.run : null,
    seedThreadRunQueueSeconds: sched && schedStarted ? sched.wait - schedStarted.wait : null,
    seedEventLoopHeldMs: seedHeldMs,
  };
  writeFileSync(figures, `${JSON.stringify(result)}\n`);
  if (!REUSE && previous !== undefined) rmSync(keptDir(previous), { recursive: true, force: true });
  return { ...result, seededThisRun: true };
}

const rows = [];
let measuredDir;
let tokens = [];
/** Copies the kept store of `size` users, opens the platform on the copy and runs the warm-up and the measured mix. */
async function measureMix(size) {
  // Measured on a copy, so that a kept store stays as seeded.
  if (measuredDir) rmSync(measuredDir, { recursive: true, force: true });
  measuredDir = join(scratch, `measured-${size}`);
  cpSync(keptDir(size), measuredDir, { recursive: true });
  // On disk before the mix, so that the copy's write-back does not run behind it.
  for (const name of readdirSync(measuredDir)) {
    const fd = openSync(join(measuredDir, name), 'r+');
    fsyncSync(fd);
    closeSync(fd);
  }
  const fileMB = fileBytes(measuredDir) / MB;
  tokens = sampleTokens(measuredDir);
  await openPlatform(measuredDir);
  return { fileMB, m: await warmAndMix(tokens) };
}
for (const [i, size] of SIZES.entries()) {
  const seed = await seedKept(size, SIZES[i - 1]);
  const { fileMB, m } = await measureMix(size);
  const row = {
    users: size,
    seededThisRun: seed.seededThisRun,
    seedSeconds: seed.seedSeconds,
    seedRowsPerSecond: (seed.seededUsers * DAYS) / seed.seedSeconds,
    // CPU time of this process (server and seeding client): steadier than wall time on a shared machine.
    seedCpuSeconds: seed.seedCpuSeconds,
    seedRowsPerCpuSecond: (seed.seededUsers * DAYS) / seed.seedCpuSeconds,
    // The server thread alone: running, and ready but waiting for a CPU (the machine is shared); the rest of the wall
    // time it was blocked (I/O, or idle between calls).
    seedThreadRunSeconds: seed.seedThreadRunSeconds ?? null,
    seedThreadRunQueueSeconds: seed.seedThreadRunQueueSeconds ?? null,
    // Longest the event loop was held while seeding (what any request waited at worst, besides its own work).
    seedEventLoopHeldMs: seed.seedEventLoopHeldMs ?? null,
    fileMB,
    rssMB: process.memoryUsage().rss / MB,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    rps: m.rps,
    // CPU time of the process (server and load thread) per request of the mix: steadier than req/s on a shared machine.
    cpuMsPerRequest: m.cpuMs / REQUESTS,
    p50ms: m.p50,
    p99ms: m.p99,
  };
  rows.push(row);
  const runQueue = row.seedThreadRunQueueSeconds === null ? '' : `, ${row.seedThreadRunQueueSeconds.toFixed(1)} s waiting for a CPU`;
  const held = row.seedEventLoopHeldMs === null ? '' : `, event loop held at most ${row.seedEventLoopHeldMs.toFixed(0)} ms`;
  console.log(`# ${size} users: seeded in ${seed.seedSeconds.toFixed(1)} s${seed.seededThisRun ? '' : ' (an earlier run)'} ` +
    `(${Math.round(row.seedRowsPerSecond)} rows/s, ${seed.seedCpuSeconds.toFixed(1)} CPU s${runQueue}${held}), file ${row.fileMB.toFixed(0)} MB, ` +
    `rss ${row.rssMB.toFixed(0)} MB, mix ${m.rps.toFixed(0)} req/s (${row.cpuMsPerRequest.toFixed(2)} CPU ms each) p50 ${m.p50.toFixed(2)} ms p99 ${m.p99.toFixed(2)} ms`);
  if (i < SIZES.length - 1) await platform.close();
}
let seeded = SIZES[SIZES.length - 1];

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
// Follow the cursors to the match (a search that bounds its work per page may need several).
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
      await inject('POST', '/users/generate', { count: GENERATE_CALL, days: DAYS });
      seeded += GENERATE_CALL;
    }));
  }, { method: 'POST', body: {}, headers: auth });
});
seeded += writeProbe.count;
await platform.close();

// Start-up and export on a server process of its own, warmed by a mix first (its page cache is a serving server's).
const server = fork(new URL('./scale-users-server.mjs', import.meta.url), [measuredDir, TOKEN], { stdio: 'inherit' });
const { base: serverBase, startupMs } = await new Promise((resolve, reject) => {
  server.once('message', resolve);
  server.once('error', reject);
});
base = serverBase;
await warmAndMix(tokens);
/** The server's resident set now and its peak, MB (the kernel's figures, not samples). */
const serverRss = () => {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
};
const serverRssBeforeExport = serverRss().rss;
writeFileSync(`/proc/${server.pid}/clear_refs`, '5'); // the peak starts again from the current resident set
let exportBytes = 0;
let exportSeconds = 0;
const exportProbe = await slowestDuring('/openrun/control/v1/clock', async () => {
  const started = performance.now();
  const res = await fetch(`${base}/openrun/control/v1/export`);
  for await (const chunk of res.body) exportBytes += chunk.length;
  exportSeconds = (performance.now() - started) / 1000;
});
const serverPeakRssExport = serverRss().peak;
server.send('stop');
await new Promise((r) => server.once('exit', r));

// The first size once more, with the process long warm: the ratios take the better of its two measurements.
const { m: again } = await measureMix(SIZES[0]);
await platform.close();
rmSync(scratch, { recursive: true, force: true });
console.log(`# ${SIZES[0]} users again: mix ${again.rps.toFixed(0)} req/s (${(again.cpuMs / REQUESTS).toFixed(2)} CPU ms each) p50 ${again.p50.toFixed(2)} ms p99 ${again.p99.toFixed(2)} ms`);

const first = rows[0];
first.again = { rps: again.rps, cpuMsPerRequest: again.cpuMs / REQUESTS, p50ms: again.p50, p99ms: again.p99 };
const last = rows[rows.length - 1];
const ratios = {
  seed_rows_per_s: last.seedRowsPerSecond / first.seedRowsPerSecond,
  seed_rows_per_cpu_s: last.seedRowsPerCpuSecond / first.seedRowsPerCpuSecond,
  mix_p99: last.p99ms / Math.min(first.p99ms, first.again.p99ms),
  mix_rps: last.rps / Math.max(first.rps, first.again.rps),
  mix_cpu_per_request: last.cpuMsPerRequest / Math.min(first.cpuMsPerRequest, first.again.cpuMsPerRequest),
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
  exportServerRssBeforeMB: serverRssBeforeExport,
  exportServerPeakRssMB: serverPeakRssExport,
  startupMs,
};
console.log(`# largest (${seeded} users): GET /users?limit=100 ${usersPageMs.toFixed(1)} ms, q= ${searchMs.toFixed(1)} ms a page (${searchPages} pages to the match); ` +
  `slowest GET /clock idle ${idleProbe.slowest.toFixed(0)} ms, ` +
  `during a ${GENERATE_CALL}-user generate slowest GET /clock ${generateProbe.slowest.toFixed(0)} ms (${generateProbe.count} probes), ` +
  `slowest POST /users ${writeProbe.slowest.toFixed(0)} ms (${writeProbe.count}), event loop held ${generateHeldMs.toFixed(0)} ms; ` +
  `during export ${exportProbe.slowest.toFixed(0)} ms; export ${largest.exportMB.toFixed(0)} MB in ${exportSeconds.toFixed(1)} s, ` +
  `server peak RSS ${serverPeakRssExport.toFixed(0)} MB (${serverRssBeforeExport.toFixed(0)} MB before); start-up ${startupMs.toFixed(0)} ms`);

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
      commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
      // 1, 5 and 15 minute load averages at the start and at the end (the machine is shared).
      loadAverage: { start: loadAtStart, end: loadavg() },
      days: DAYS,
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      targets: 'seeding 1M × 31 days < 120 s; p99 at 1M ≤ 1.5× and req/s ≥ 0.8× of 1k; export of 1M with peak RSS < 300 MB (the server process); no request waits > 200 ms behind bulk work',
      ratios,
      sizes: rows,
      largest,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${out}`);
