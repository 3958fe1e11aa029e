// Where a scale-out request's time goes: for each route of the scale-out bench mix (jscode2session, getopendata with
// 5 ids, runtime werun), the PostgreSQL queries and Redis commands one request sends, and the CPU one request costs
// the instance (process.cpuUsage, requests sent one at a time through app.inject, no HTTP) and the servers (the
// PostgreSQL and Redis processes' CPU from /proc, when readable; other users of the servers add noise there). The
// embedded SQLite platform is measured the same way for comparison. A diagnostic, not a benchmark: it prints a table
// and writes nothing.
//   OPENRUN_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres OPENRUN_TEST_REDIS_URL=redis://127.0.0.1:6379 \
//   node bench/scale-out-profile.mjs [--requests N]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createScaleOutPlace } from './lib/scale-out-place.mjs';
import { buildPlatform } from '../packages/platform/dist/index.js';

const i = process.argv.indexOf('--requests');
const N = i > 0 ? Number(process.argv[i + 1]) : 300;
const pgAdmin = process.env.OPENRUN_TEST_POSTGRES_URL?.trim();
const redisBase = process.env.OPENRUN_TEST_REDIS_URL?.trim();
if (!pgAdmin || !redisBase) {
  console.error('[profile] needs OPENRUN_TEST_POSTGRES_URL and OPENRUN_TEST_REDIS_URL');
  process.exit(2);
}

// Counters: every query the pg client sends, every command ioredis sends (a pipeline's commands count one each).
const counts = { pg: 0, redis: 0 };
const byName = new Map();
const origQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  counts.pg++;
  const text = typeof config === 'string' ? config : config?.text ?? '?';
  const key = `pg  ${text.replace(/\s+/g, ' ').slice(0, 70)}`;
  byName.set(key, (byName.get(key) ?? 0) + 1);
  return origQuery.call(this, config, ...rest);
};
const origSend = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (command, stream) {
  if (!['multi', 'exec'].includes(command.name)) {
    counts.redis++;
    const key = `redis ${command.name}${command.name === 'evalsha' ? ` ${String(command.args[0]).slice(0, 8)}` : ''}`;
    byName.set(key, (byName.get(key) ?? 0) + 1);
  }
  return origSend.call(this, command, stream);
};

/** CPU ticks (user + system, own and reaped children) of every process whose command is `comm`. */
function serverTicks(comm) {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!name.startsWith(comm)) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks;
}

async function call(app, method, url, body, headers = {}) {
  const r = await app.inject({ method, url, headers: { authorization: `Bearer ${TOKEN}`, ...headers }, ...(body ? { payload: body } : {}) });
  if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
  return r.statusCode === 204 ? {} : r.json();
}
const TOKEN = `orctl_prof_${randomBytes(8).toString('hex')}`;

async function profile(label, options) {
  const app = buildPlatform({ ...options, controlToken: TOKEN });
  await app.ready();
  await call(app, 'POST', '/openrun/control/v1/reset');
  await call(app, 'PUT', '/openrun/control/v1/clock', { now: '2026-11-21T04:00:00Z', frozen: true });
  const a = await call(app, 'POST', '/openrun/control/v1/apps', { platform: 'weapp', cloud: true });
  const codes = [];
  for (let u = 0; u * 90 < N + 20; u++) {
    const user = await call(app, 'POST', '/openrun/control/v1/users', {});
    for (let k = 0; k < 90; k++) {
      codes.push((await call(app, 'POST', `/openrun/runtime/v1/apps/${a.appid}/login`, undefined, { authorization: `Bearer ${user.deviceToken}` })).code);
    }
  }
  const walker = await call(app, 'POST', '/openrun/control/v1/users', {});
  const days = Array.from({ length: 60 }, (_, d) => ({ date: new Date(Date.UTC(2026, 10, 21) - d * 86400e3).toISOString().slice(0, 10), steps: 3000 + d }));
  await call(app, 'PUT', `/openrun/control/v1/users/${walker.id}/steps`, { days });
  const auth = { authorization: `Bearer ${walker.deviceToken}` };
  await call(app, 'POST', `/openrun/runtime/v1/apps/${a.appid}/login`, undefined, auth);
  const cloudIds = [];
  for (let k = 0; k < 5; k++) cloudIds.push((await call(app, 'POST', `/openrun/runtime/v1/apps/${a.appid}/werun`, undefined, auth)).cloudID);
  const { access_token } = await call(app, 'GET', `/cgi-bin/token?grant_type=client_credential&appid=${a.appid}&secret=${a.secret}`);
  let c = 0;
  const kinds = {
    jscode2session: () => call(app, 'GET', `/sns/jscode2session?appid=${a.appid}&secret=${a.secret}&js_code=${codes[c++]}&grant_type=authorization_code`),
    getopendata: () => call(app, 'POST', `/wxa/getopendata?access_token=${access_token}`, { cloudid_list: cloudIds }),
    werun: () => call(app, 'POST', `/openrun/runtime/v1/apps/${a.appid}/werun`, undefined, auth),
  };
  for (const [kind, send] of Object.entries(kinds)) {
    for (let k = 0; k < 20; k++) await send(); // warm-up
    await app.requestLog.flush();
    counts.pg = counts.redis = 0;
    byName.clear();
    const pg0 = serverTicks('postgres');
    const redis0 = serverTicks('redis-server');
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < N; k++) await send();
    await app.requestLog.flush();
    const cpu = process.cpuUsage(cpu0);
    const wall = Number(process.hrtime.bigint() - t0) / 1e3 / N;
    const tick = 1e6 / 100;
    console.log(
      `${label.padEnd(9)} ${kind.padEnd(15)} pg ${(counts.pg / N).toFixed(2).padStart(5)}  redis ${(counts.redis / N).toFixed(2).padStart(5)}` +
        `  instance cpu ${((cpu.user + cpu.system) / N).toFixed(0).padStart(4)} µs  pg cpu ${(((serverTicks('postgres') - pg0) * tick) / N).toFixed(0).padStart(4)} µs` +
        `  redis cpu ${(((serverTicks('redis-server') - redis0) * tick) / N).toFixed(0).padStart(4)} µs  wall ${wall.toFixed(0)} µs`,
    );
    if (process.argv.includes('--detail')) for (const [k, v] of [...byName].sort()) console.log(`      ${(v / N).toFixed(2)}  ${k}`);
  }
  await app.close();
}

const place = await createScaleOutPlace(pgAdmin, redisBase, 'openrun_prof');
const dataDir = mkdtempSync(join(tmpdir(), 'openrun-prof-'));
try {
  await profile('embedded', { dataDir });
  await profile('scale-out', { postgresUrl: place.postgresUrl, redisUrl: place.redisUrl });
} finally {
  await place.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
