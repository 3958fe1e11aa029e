/**
 * `openrun start --postgres URL --redis URL`: the banner names the backend (never a password), and one URL without
 * the other stops the start with a message saying what is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { createScaleOutPlace, scaleOutServers, warnScaleOutSkipped } from '../../platform/test/helpers/scale-out-servers.js';

const BIN = resolve(__dirname, '../bin/openrun.js');
const servers = scaleOutServers();
if (!servers) warnScaleOutSkipped('the openrun start banner');

it('one store URL without the other is an error that names the missing one', () => {
  const run = spawnSync(process.execPath, [BIN, 'start', '--port', '0', '--postgres', 'postgres://u:sekret@127.0.0.1:5432/x'], { encoding: 'utf8', timeout: 25_000 });
  expect(run.status).not.toBe(0);
  expect(run.stderr).toMatch(/a PostgreSQL URL was given but no Redis URL \(set --redis \/ OPENRUN_REDIS_URL/);
  expect(run.stderr).not.toMatch(/sekret/);
  const env = { ...process.env, OPENRUN_REDIS_URL: 'redis://127.0.0.1:6379' };
  const other = spawnSync(process.execPath, [BIN, 'start', '--port', '0'], { encoding: 'utf8', timeout: 25_000, env });
  expect(other.status).not.toBe(0);
  expect(other.stderr).toMatch(/a Redis URL was given but no PostgreSQL URL/);
}, 60_000);

it.skipIf(!servers)('the banner names PostgreSQL and Redis with host:port and no password', async () => {
  const place = await createScaleOutPlace(servers!);
  const url = new URL(place.postgresUrl);
  url.password = 'sekret';
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--postgres', url.toString(), '--redis', place.redisUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  try {
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no banner: ${out}`)), 30_000);
      const read = (d: Buffer) => {
        out += d.toString();
        if (/users:\n(.*\n)*.*deviceToken=/.test(out)) {
          clearTimeout(timer);
          done();
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
    });
    expect(out).toMatch(/store: PostgreSQL 127\.0\.0\.1:5432\/\w+ \+ Redis 127\.0\.0\.1:6379 \(keys openrun:openrun_t_\w+:\*\)/);
    expect(out).not.toMatch(/sekret/);
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await place.drop();
  }
}, 60_000);
