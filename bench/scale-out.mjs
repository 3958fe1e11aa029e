// Scale-out throughput: the platform mix (jscode2session with a fresh code, getopendata with 5 ids, runtime werun, in
// turn) on one PostgreSQL + Redis instance against one embedded SQLite instance, and on two PostgreSQL + Redis
// instances against one, all measured in the same run with the same load generator (a worker thread). Every instance
// is its own `openrun start` process; PostgreSQL and Redis are the machine's servers (a private schema and key prefix,
// removed afterwards). Prints `name: ratio` lines and writes bench/results/scale-out.json.
// Run after `npm run build`, with the servers:
//   OPENRUN_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres OPENRUN_TEST_REDIS_URL=redis://127.0.0.1:6379 \
//   node bench/scale-out.mjs [--requests N] [--warmup W] [--rounds R] [--concurrency C] [--helpers-free | --no-pin]
//     [--node-http] [--cpu-prof DIR]
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createScaleOutPlace } from './lib/scale-out-place.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REQUESTS = arg('requests', 6000);
const ROUNDS = arg('rounds', 3);
// --cpu-prof DIR: every instance writes a V8 CPU profile there when it stops (for finding where the time goes).
const cpuProfDir = process.argv.includes('--cpu-prof') ? process.argv[process.argv.indexOf('--cpu-prof') + 1] : undefined;
// Instance k runs on CPU k (taskset; --no-pin leaves everything to the scheduler). Unpinned, the instances migrate
// between the two cores and each request costs them about half as much CPU again.
const PIN = !process.argv.includes('--no-pin');
// Where the rest of a request's work runs — the load generator (this process) and Redis, which cost about as much a
// request as a third of an instance: by default each set-up gets as many CPUs as it has instances, so the embedded and
// the one-instance runs keep the generator and Redis on CPU 0 with their instance, and the two-instance run spreads
// them over both CPUs (a second instance comes with a second core). --helpers-free leaves them unpinned in every run,
// so a single instance has the other core to itself for its generator and Redis: what one instance gives when those
// cost it nothing, against two that must share both cores with them.
const HELPERS_PINNED = PIN && !process.argv.includes('--helpers-free');
/** The CPUs of the two-instance set-up (instance k runs on CPU k). */
const TWO_CPUS = cpus().length >= 2 ? '0-1' : '0';
const CONCURRENCY = arg('concurrency', 16);
// Warm-up requests per instance before every measured window: a fresh `openrun start` process runs its first thousand
// or so requests on code V8 has not optimised yet, and the second scale-out instance starts fresh for the two-instance
// run (150 requests in all, as before, left it at 75 and the measured window partly cold).
const WARMUP_PER_INSTANCE = arg('warmup', 2000);
const TOKEN = `orctl_bench_${randomBytes(8).toString('hex')}`;
const here = dirname(fileURLToPath(import.meta.url));
const BIN = join(here, '../packages/cli/bin/openrun.js');

/** The processes whose name starts with `comm` (readable in /proc: servers on this machine). */
function pidsOf(comm) {
  return readdirSync('/proc').filter((d) => {
    if (!/^\d+$/.test(d)) return false;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith(comm);
    } catch {
      return false;
    }
  });
}
/** CPU masks (hex, as taskset prints them) of the pids, to put back after the run. */
const mask = (pid) => execFileSync('taskset', ['-p', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/).pop();
const originalMasks = new Map();
/** Whether Redis could be pinned (a server on this machine that we may move); the placement text says so. */
let redisPinned = false;
/** Puts this process (all its threads: the load generator's worker starts later and inherits it) and Redis on `cpuList`. */
function placeHelpers(cpuList) {
  const targets = [String(process.pid), ...pidsOf('redis-server')];
  for (const pid of targets) {
    try {
      if (!originalMasks.has(pid)) originalMasks.set(pid, mask(pid));
      execFileSync('taskset', ['-a', '-p', '-c', cpuList, pid], { stdio: 'ignore' });
      if (pid !== String(process.pid)) redisPinned = true;
    } catch {
      // Not ours to move (another user's server): it stays where the scheduler puts it, and the placement says so.
    }
  }
}
/** Gives every process moved by placeHelpers its own mask back. */
function restoreHelpers() {
  for (const [pid, m] of originalMasks) {
    try {
      execFileSync('taskset', ['-a', '-p', m, pid], { stdio: 'ignore' });
    } catch {
      // gone meanwhile
    }
  }
}
process.on('exit', restoreHelpers);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const pgAdmin = process.env.OPENRUN_TEST_POSTGRES_URL?.trim();
const redisBase = process.env.OPENRUN_TEST_REDIS_URL?.trim();
if (!pgAdmin || !redisBase) {
  console.error('[bench] scale-out needs OPENRUN_TEST_POSTGRES_URL and OPENRUN_TEST_REDIS_URL (the test servers)');
  process.exit(2);
}

/**
 * Sends the requests (absolute URLs) with `CONCURRENCY` in flight from a worker thread, through the lean HTTP/1.1
 * client (pre-serialised requests, one at a time per keep-alive socket, replies read into a reused buffer and checked
 * to their end): node:http would take about half the CPU of the instance it loads, which two instances on 2 cores
 * cannot spare. `--node-http` uses the node:http generator instead.
 */
function load(requests) {
  const generator = process.argv.includes('--node-http') ? './load-generator.mjs' : './lean-load-generator.mjs';
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(generator, import.meta.url), {
      workerData: { base: 'http://127.0.0.1/', requests, concurrency: CONCURRENCY },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** Starts `openrun start` with `args` (on CPU `cpu` with --pin) and resolves with its base URL and a stop function. */
function startInstance(args, cpu) {
  const profile = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  const node = [...profile, BIN, 'start', '--port', '0', '--no-seed', '--control-token', TOKEN, ...args];
  const [command, argv] = PIN ? ['taskset', ['-c', String(cpu % cpus().length), process.execPath, ...node]] : [process.execPath, node];
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('openrun start printed no base URL')), 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({
          base: m[1],
          pid: child.pid,
          stop: () => new Promise((done) => {
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`openrun start exited ${code}`)));
  });
}

async function call(base, method, path, body, headers = {}) {
  const r = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? {} : r.json();
}

/** Seeds a fresh state through `bases[0]` and returns the mix, spread over `bases` in turn. */
async function mix(bases, warmup) {
  const [first] = bases;
  await call(first, 'POST', '/openrun/control/v1/reset');
  await call(first, 'PUT', '/openrun/control/v1/clock', { now: '2026-11-21T04:00:00Z', frozen: true });
  const app = await call(first, 'POST', '/openrun/control/v1/apps', { platform: 'weapp', cloud: true });
  const total = REQUESTS + warmup;
  const perKind = Math.ceil(total / 3);
  const codes = [];
  for (let u = 0; u * 90 < perKind; u++) {
    const user = await call(first, 'POST', '/openrun/control/v1/users', {});
    const batch = Array.from({ length: Math.min(90, perKind - codes.length) }, (_, i) =>
      call(bases[i % bases.length], 'POST', `/openrun/runtime/v1/apps/${app.appid}/login`, undefined, { authorization: `Bearer ${user.deviceToken}` }),
    );
    codes.push(...(await Promise.all(batch)).map((r) => r.code));
  }
  const walker = await call(first, 'POST', '/openrun/control/v1/users', {});
  const days = Array.from({ length: 60 }, (_, i) => ({ date: new Date(Date.UTC(2026, 10, 21) - i * 86400e3).toISOString().slice(0, 10), steps: 3000 + ((i * 7919) % 9000) }));
  await call(first, 'PUT', `/openrun/control/v1/users/${walker.id}/steps`, { days });
  const auth = { authorization: `Bearer ${walker.deviceToken}` };
  await call(first, 'POST', `/openrun/runtime/v1/apps/${app.appid}/login`, undefined, auth);
  const cloudIds = [];
  for (let i = 0; i < 5; i++) cloudIds.push((await call(first, 'POST', `/openrun/runtime/v1/apps/${app.appid}/werun`, undefined, auth)).cloudID);
  const { access_token } = await call(first, 'GET', `/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`);
  const requests = [];
  for (let i = 0; i < total; i++) {
    const base = bases[i % bases.length];
    const kind = i % 3;
    if (kind === 0) {
      requests.push({ method: 'GET', path: `${base}/sns/jscode2session?appid=${app.appid}&secret=${app.secret}&js_code=${codes[Math.floor(i / 3)]}&grant_type=authorization_code` });
    } else if (kind === 1) {
      requests.push({ method: 'POST', path: `${base}/wxa/getopendata?access_token=${access_token}`, body: JSON.stringify({ cloudid_list: cloudIds }) });
    } else {
      requests.push({ method: 'POST', path: `${base}/openrun/runtime/v1/apps/${app.appid}/werun`, headers: auth });
    }
  }
  return requests;
}

/**
 * The machine's CPU time so far, in seconds: busy in processes, in interrupts (mostly loopback networking), idle, and
 * stolen (a virtual machine's CPUs running something else of the host's: the same code then runs slower).
 */
function machineSeconds() {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { processes: (user + nice + system) / 100, interrupts: (irq + softirq) / 100, idle: (idle + iowait) / 100, stolen: (steal ?? 0) / 100 };
}

/** CPU seconds (user + system, and reaped children) of the processes with these pids, or whose name starts with `comm`. */
function cpuSeconds({ pids = [], comm }) {
  let ticks = 0;
  for (const pid of comm ? pidsOf(comm) : pids.map(String)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / 100;
}

/**
 * Seeds, warms up and measures the mix on `instances`: requests per second, and the CPU one request cost the
 * instances, Redis, PostgreSQL and the load generator (the bench process), from /proc — what noise on a shared
 * machine does not change much — plus the machine's interrupt time (the loopback networking all of them cause), the
 * CPU other processes took meanwhile (other sessions on a shared machine: a round where it is large measured them
 * too) and the CPU left idle, all per request.
 */
async function measure(instances) {
  const warmup = WARMUP_PER_INSTANCE * instances.length;
  const requests = await mix(instances.map((i) => i.base), warmup);
  await load(requests.slice(0, warmup));
  const pids = instances.map((i) => i.pid);
  const before = { instances: cpuSeconds({ pids }), redis: cpuSeconds({ comm: 'redis-server' }), postgres: cpuSeconds({ comm: 'postgres' }) };
  const machine0 = machineSeconds();
  const bench0 = process.cpuUsage();
  const { rps, cpuSeconds: generatorCpu } = await load(requests.slice(warmup));
  const bench = process.cpuUsage(bench0);
  const machine1 = machineSeconds();
  // The lean generator says what its timed window took; node:http's counts the bench process over the whole load.
  const generatorSeconds = generatorCpu ?? (bench.user + bench.system) / 1e6;
  const n = requests.length - warmup;
  const perRequest = (seconds) => Math.round((seconds * 1e6) / n);
  const cpu = {
    instances: perRequest(cpuSeconds({ pids }) - before.instances),
    redis: perRequest(cpuSeconds({ comm: 'redis-server' }) - before.redis),
    postgres: perRequest(cpuSeconds({ comm: 'postgres' }) - before.postgres),
    loadGenerator: perRequest(generatorSeconds),
  };
  const ours = cpu.instances + cpu.redis + cpu.postgres + perRequest((bench.user + bench.system) / 1e6);
  // The kernel charges an interrupt both to the machine's interrupt time and to the process it interrupted, so the
  // interrupts are shown beside the processes' CPU, not added to it.
  const interrupts = perRequest(machine1.interrupts - machine0.interrupts);
  return {
    rps,
    cpuMicrosPerRequest: cpu,
    machineMicrosPerRequest: {
      interrupts,
      otherProcesses: Math.max(0, perRequest(machine1.processes - machine0.processes) + interrupts - ours),
      idle: perRequest(machine1.idle - machine0.idle),
      stolen: perRequest(machine1.stolen - machine0.stolen),
    },
  };
}

// A private place on the shared servers.
const place = await createScaleOutPlace(pgAdmin, redisBase, 'openrun_bench');
const dataDir = mkdtempSync(join(tmpdir(), 'openrun-bench-scale-'));
const scaleArgs = ['--postgres', place.postgresUrl, '--redis', place.redisUrl];

const rounds = [];
const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
try {
  // Each round measures the three set-ups one after the other, so that a ratio compares runs minutes apart at most.
  for (let round = 0; round < ROUNDS; round++) {
    const runs = {};
    if (HELPERS_PINNED) placeHelpers('0');
    const embedded = await startInstance(['--data', dataDir], 0);
    runs.embedded = await measure([embedded]);
    await embedded.stop();
    const a = await startInstance(scaleArgs, 0);
    runs.scaleOutOne = await measure([a]);
    const b = await startInstance(scaleArgs, 1);
    if (HELPERS_PINNED) placeHelpers(TWO_CPUS);
    runs.scaleOutTwo = await measure([a, b]);
    await a.stop();
    await b.stop();
    rounds.push(runs);
    const other = Object.values(runs).map((r) => r.machineMicrosPerRequest.otherProcesses).join('/');
    console.log(
      `round ${round + 1}: embedded ${runs.embedded.rps.toFixed(0)}, one scale-out ${runs.scaleOutOne.rps.toFixed(0)}, two ${runs.scaleOutTwo.rps.toFixed(0)} req/s` +
        ` (other processes ${other} µs of CPU per request, stolen by the host ${Object.values(runs).map((r) => r.machineMicrosPerRequest.stolen).join('/')} µs; load average ${loadavg()[0].toFixed(2)})`,
    );
  }
} finally {
  restoreHelpers();
  await place.drop();
  rmSync(dataDir, { recursive: true, force: true });
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)];
/** The round whose `ratio` is the median one. */
const medianRound = (ratio) => {
  const m = median(rounds.map(ratio));
  return rounds.find((r) => ratio(r) === m);
};
const oneVsEmbedded = medianRound((r) => r.scaleOutOne.rps / r.embedded.rps);
const twoVsOne = medianRound((r) => r.scaleOutTwo.rps / r.scaleOutOne.rps);
const medians = (k, part) => Object.fromEntries(Object.keys(rounds[0][k][part]).map((c) => [c, median(rounds.map((r) => r[k][part][c]))]));
const runs = Object.fromEntries(['embedded', 'scaleOutOne', 'scaleOutTwo'].map((k) => [k, {
  rps: median(rounds.map((r) => r[k].rps)),
  cpuMicrosPerRequest: medians(k, 'cpuMicrosPerRequest'),
  machineMicrosPerRequest: medians(k, 'machineMicrosPerRequest'),
}]));
// What the CPU figures say two instances can give over one on this many otherwise idle cores: one instance is bound by
// its own core or by the machine, two by the machine (every process's CPU per request).
const cores = cpus().length;
const totalCpu = (r) => Object.values(r.cpuMicrosPerRequest).reduce((x, y) => x + y, 0);
// With the helpers on its core, one instance shares that core with the generator and Redis (PostgreSQL runs anywhere).
const oneBound = HELPERS_PINNED
  ? 1e6 / (totalCpu(runs.scaleOutOne) - runs.scaleOutOne.cpuMicrosPerRequest.postgres)
  : Math.min(1e6 / runs.scaleOutOne.cpuMicrosPerRequest.instances, (cores * 1e6) / totalCpu(runs.scaleOutOne));
const twoBound = Math.min(2e6 / runs.scaleOutTwo.cpuMicrosPerRequest.instances, (cores * 1e6) / totalCpu(runs.scaleOutTwo));
// The median round of each ratio (a ratio is taken within one round, where its baseline was measured).
const results = [
  {
    name: 'scale_out_one_vs_embedded', ratio: oneVsEmbedded.scaleOutOne.rps / oneVsEmbedded.embedded.rps, rps: oneVsEmbedded.scaleOutOne.rps,
    baselineRps: oneVsEmbedded.embedded.rps, target: 0.5, rounds: rounds.map((r) => r.scaleOutOne.rps / r.embedded.rps),
  },
  {
    name: 'scale_out_two_vs_one', ratio: twoVsOne.scaleOutTwo.rps / twoVsOne.scaleOutOne.rps, rps: twoVsOne.scaleOutTwo.rps,
    baselineRps: twoVsOne.scaleOutOne.rps, target: 1.3, rounds: rounds.map((r) => r.scaleOutTwo.rps / r.scaleOutOne.rps),
  },
];
const generator = process.argv.includes('--node-http')
  ? 'node:http'
  : 'the lean HTTP/1.1 client of bench/lean-load-generator.mjs: one request at a time per keep-alive connection, no pipelining, every reply read to its end into a reused buffer and its status checked';
const perSetUp = `pinned with taskset to the CPUs of the set-up — CPU 0 for the embedded and the one-instance runs, CPUs ${TWO_CPUS} for the two-instance run (each instance brings its core) — and their own CPU masks put back afterwards`;
const helpersWhere = !HELPERS_PINNED
  ? 'the load generator (a worker thread of the bench process) and Redis are not pinned, so a single instance has the other core for them'
  : redisPinned
    ? `the load generator (a worker thread of the bench process) and Redis are ${perSetUp}; PostgreSQL (a few µs a request) is not pinned`
    : `the load generator (a worker thread of the bench process) is ${perSetUp}; Redis (not movable from here) and PostgreSQL are not pinned`;
const placement =
  `every instance is its own openrun start process${PIN ? ', pinned with taskset: the embedded and the first scale-out instance on CPU 0, the second on CPU 1' : ' (not pinned)'}; ` +
  `PostgreSQL 15 and Redis 7 are the machine's shared servers; ${PIN ? helpersWhere : 'nothing is pinned'}; the load generator is ${generator}; ` +
  `${CONCURRENCY} requests in flight in every run, spread over the instances in turn; all on one machine with ${cores} CPUs`;
const loadAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
const cpuEstimate = { name: 'scale_out_two_vs_one_cpu_bound', ratio: twoBound / oneBound, rps: twoBound, baselineRps: oneBound, target: 1.3 };
for (const [k, r] of Object.entries(runs)) {
  const c = r.cpuMicrosPerRequest;
  const m = r.machineMicrosPerRequest;
  console.log(
    `cpu per request, ${k}: instances ${c.instances} µs, redis ${c.redis} µs, postgres ${c.postgres} µs, load generator ${c.loadGenerator} µs, ` +
      `machine: interrupts ${m.interrupts} µs (counted in the above where they interrupted them), other processes ${m.otherProcesses} µs, idle ${m.idle} µs, stolen by the host ${m.stolen} µs`,
  );
}
console.log(`${cpuEstimate.name}: ${cpuEstimate.ratio.toFixed(2)}  (what the CPU per request allows on ${cores} idle cores${HELPERS_PINNED ? ', one instance sharing its core with the generator and Redis' : ''}: ${twoBound.toFixed(0)} vs ${oneBound.toFixed(0)} req/s)`);
for (const r of results) {
  console.log(
    `${r.name}: ${r.ratio.toFixed(2)}  (median of ${ROUNDS} rounds: ${r.rps.toFixed(0)} req/s vs ${r.baselineRps.toFixed(0)} req/s; ` +
      `rounds ${r.rounds.map((x) => x.toFixed(2)).join(', ')}; target ≥ ${r.target})`,
  );
}
console.log(`placement: ${placement}`);
console.log(`load average at start ${loadAtStart.join(' ')}, at end ${loadAtEnd.join(' ')}`);

const out = join(here, 'results', 'scale-out.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      benchmark: 'scale-out',
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadAtEnd,
      placement,
      requests: REQUESTS,
      warmupPerInstance: WARMUP_PER_INSTANCE,
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      helpers: HELPERS_PINNED ? 'on the set-up\'s CPUs' : PIN ? 'free (unpinned)' : 'nothing pinned',
      mix: 'jscode2session (fresh code), getopendata with 5 ids, runtime werun, in turn',
      results,
      cpuMicrosPerRequest: Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, r.cpuMicrosPerRequest])),
      machineMicrosPerRequest: Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, r.machineMicrosPerRequest])),
      roundRuns: rounds.map((r) => Object.fromEntries(Object.entries(r).map(([k, x]) => [k, {
        rps: Math.round(x.rps), otherProcessesMicrosPerRequest: x.machineMicrosPerRequest.otherProcesses, stolenMicrosPerRequest: x.machineMicrosPerRequest.stolen,
      }]))),
      cpuBoundEstimate: cpuEstimate,
    },
    null,
    2,
  )}\n`,
);
console.log(`results: ${out}`);
